package io.elaswave.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.elaswave.actors.group.CommunicatorGroup;
import io.elaswave.actors.group.TrafficCounter;
import io.elaswave.planner.RankId;
import io.elaswave.protocol.FloatTensor;
import io.elaswave.protocol.runtime.BlockPartial;
import io.elaswave.protocol.runtime.BlockValues;
import io.elaswave.protocol.runtime.GroupMessage;
import io.elaswave.protocol.runtime.RankMessage;
import io.elaswave.protocol.runtime.RankRefs;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** In-place edits of a group's table, epoch rules, and where its collectives send tensors. */
class CommunicatorGroupTest {
  private static ActorTestKit testKit;

  @BeforeAll
  static void start() {
    testKit = ActorTestKit.create(RuntimeFixture.TEST_CONFIG.withFallback(
        com.typesafe.config.ConfigFactory.parseString("pekko.actor.provider = local")));
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private record Member(RankRefs refs, TestProbe<RankMessage.DataMessage> inbox) {}

  private static Member member(int rank) {
    TestProbe<RankMessage.DataMessage> inbox = testKit.createTestProbe();
    TestProbe<RankMessage> control = testKit.createTestProbe();
    return new Member(new RankRefs(RankId.of(rank), control.ref(), inbox.ref()), inbox);
  }

  private static ActorRef<GroupMessage> group(RankId self, TrafficCounter traffic, List<RankRefs> members,
      List<RankId> owners) {
    return testKit.spawn(CommunicatorGroup.create(new CommunicatorGroup.Settings(3, self, traffic, 4), 1, members,
        owners));
  }

  private static GroupMessage.GroupView view(ActorRef<GroupMessage> group) {
    TestProbe<GroupMessage.GroupView> probe = testKit.createTestProbe();
    group.tell(new GroupMessage.GetView(probe.ref()));
    return probe.receiveMessage();
  }

  @Test
  void editsChangeTheTableInPlaceAndStaleEditsAreRefused() {
    Member a = member(0);
    Member b = member(1);
    Member c = member(2);
    ActorRef<GroupMessage> group = group(RankId.of(0), new TrafficCounter(), List.of(a.refs(), b.refs()),
        List.of(RankId.of(0), RankId.of(1)));
    group.tell(new GroupMessage.ReplaceMember(2, RankId.of(1), c.refs()));
    GroupMessage.GroupView v = view(group);
    assertEquals(2, v.epoch());
    assertEquals(List.of(RankId.of(0), RankId.of(2)), v.members().stream().map(RankRefs::rank).toList());

    group.tell(new GroupMessage.AddMember(2, b.refs())); // several edits may share one epoch
    group.tell(new GroupMessage.RemoveMember(1, RankId.of(0))); // stale: refused
    v = view(group);
    assertEquals(List.of(RankId.of(0), RankId.of(2), RankId.of(1)), v.members().stream().map(RankRefs::rank).toList());

    group.tell(new GroupMessage.RemoveMember(3, RankId.of(2)));
    group.tell(new GroupMessage.SetOwners(3, List.of(RankId.of(1), RankId.of(1))));
    v = view(group);
    assertEquals(3, v.epoch());
    assertEquals(List.of(RankId.of(0), RankId.of(1)), v.members().stream().map(RankRefs::rank).toList());
    assertEquals(List.of(RankId.of(1), RankId.of(1)), v.owners());
  }

  @Test
  void reduceScatterReachesOwnersAndAllGatherReachesPeersInBatches() {
    Member a = member(0);
    Member b = member(1);
    TrafficCounter traffic = new TrafficCounter();
    ActorRef<GroupMessage> group = group(RankId.of(0), traffic, List.of(a.refs(), b.refs()),
        List.of(RankId.of(0), RankId.of(1), RankId.of(1)));
    FloatTensor three = FloatTensor.of(1f, 2f, 3f);
    group.tell(new GroupMessage.ReduceScatter(1, 7, List.of(new BlockPartial(3, 0, 0, 2, three),
        new BlockPartial(3, 1, 0, 2, three), new BlockPartial(3, 2, 0, 2, three))));
    var toA = (RankMessage.GradPartials) a.inbox().receiveMessage();
    assertEquals(List.of(0), toA.partials().stream().map(BlockPartial::block).toList());
    // the owner of blocks 1 and 2 gets them in two batches: 6 floats exceed the 4-float limit
    var first = (RankMessage.GradPartials) b.inbox().receiveMessage();
    var second = (RankMessage.GradPartials) b.inbox().receiveMessage();
    assertEquals(List.of(1), first.partials().stream().map(BlockPartial::block).toList());
    assertEquals(List.of(2), second.partials().stream().map(BlockPartial::block).toList());

    TestProbe<RankMessage> rank = testKit.createTestProbe();
    group.tell(new GroupMessage.AllGather(1, 7, List.of(new BlockValues(3, 0, three)), rank.ref()));
    var update = (RankMessage.BlockUpdates) b.inbox().receiveMessage();
    assertEquals(7, update.step());
    assertEquals(new RankMessage.GatherSent(1, 7, 3), rank.receiveMessage());
    a.inbox().expectNoMessage(Duration.ofMillis(100)); // nobody sends to itself
    // counted: partials of blocks 1 and 2 to b, block 0 gathered to b; block 0's partial stayed home
    assertEquals(4 * 9, traffic.drain()[0]);
  }

  @Test
  void collectivesFromAnotherEpochAreDroppedAndCounted() {
    Member a = member(0);
    Member b = member(1);
    TrafficCounter traffic = new TrafficCounter();
    ActorRef<GroupMessage> group = group(RankId.of(0), traffic, List.of(a.refs(), b.refs()),
        List.of(RankId.of(1)));
    group.tell(new GroupMessage.ReduceScatter(0, 7, List.of(new BlockPartial(3, 0, 0, 1, FloatTensor.of(1f)))));
    group.tell(new GroupMessage.AllGather(2, 7, List.of(new BlockValues(3, 0, FloatTensor.of(1f))),
        testKit.<RankMessage>createTestProbe().ref()));
    view(group); // both were handled before this reply
    b.inbox().expectNoMessage(Duration.ofMillis(100));
    assertEquals(2, traffic.drain()[2]);
  }
}
