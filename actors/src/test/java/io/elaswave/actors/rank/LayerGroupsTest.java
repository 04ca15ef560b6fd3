package io.elaswave.actors.rank;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.elaswave.actors.group.TrafficCounter;
import io.elaswave.engine.model.ModelConfig;
import io.elaswave.planner.Layout;
import io.elaswave.planner.ModelProfile;
import io.elaswave.planner.PlanRequest;
import io.elaswave.planner.RankId;
import io.elaswave.planner.RankInfo;
import io.elaswave.planner.StaticPlanner;
import io.elaswave.protocol.runtime.GroupMessage;
import io.elaswave.protocol.runtime.RankMessage;
import io.elaswave.protocol.runtime.RankRefs;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A change that is undone leaves its members in the groups it edited; the next layout must take
 * them out even when it equals the layout before the change (found in a run whose joiner was lost
 * mid-join: the replica's ranks then got all-gathers for layers they no longer held).
 */
class LayerGroupsTest {
  private static ActorTestKit testKit;

  @BeforeAll
  static void start() {
    testKit = ActorTestKit.create(com.typesafe.config.ConfigFactory.parseString("pekko.actor.provider = local"));
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void aLayoutAfterAnUndoneChangeRemovesTheChangesMembers() {
    ModelProfile profile = ModelProfile.estimate(ModelConfig.preset("tiny", 65), 2);
    Layout before = plan(profile, 0, 1).withEpoch(6); // layer 0 held by r0 and r1
    Layout undone = plan(profile, 0, 2).withEpoch(7); // r1 replaced by r2: never committed
    Layout after = before.withEpoch(8); // back to the layout before it, under a new epoch
    Map<RankId, RankRefs> directory = new HashMap<>();
    for (int r = 0; r < 3; r++) {
      TestProbe<RankMessage> control = testKit.createTestProbe();
      TestProbe<RankMessage.DataMessage> data = testKit.createTestProbe();
      directory.put(RankId.of(r), new RankRefs(RankId.of(r), control.ref(), data.ref()));
    }
    TestProbe<GroupMessage.GroupView> view = testKit.createTestProbe();
    Behavior<RankMessage> rank = Behaviors.setup(ctx -> {
      LayerGroups groups = new LayerGroups(ctx, RankId.of(0), new TrafficCounter(), 1024);
      groups.adopt(0, before, directory);
      groups.adopt(0, undone, directory);
      groups.adopt(0, after, directory); // what Reconfiguration does after restoring the prior state
      groups.tell(0, new GroupMessage.GetView(view.ref()));
      return Behaviors.empty();
    });
    testKit.spawn(rank);
    GroupMessage.GroupView seen = view.receiveMessage();
    assertEquals(8, seen.epoch());
    assertEquals(List.of(RankId.of(0), RankId.of(1)), seen.members().stream().map(RankRefs::rank).sorted().toList(),
        "r2 belonged to the undone change only");
  }

  private static Layout plan(ModelProfile profile, int a, int b) {
    List<RankInfo> ranks = List.of(RankInfo.of(a, "node-" + a), RankInfo.of(b, "node-" + b));
    return StaticPlanner.plan(PlanRequest.of(ranks, 2, 1, 4, profile));
  }
}
