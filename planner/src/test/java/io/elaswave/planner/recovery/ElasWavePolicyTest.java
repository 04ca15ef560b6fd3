package io.elaswave.planner.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.elaswave.engine.model.ModelConfig;
import io.elaswave.planner.Layout;
import io.elaswave.planner.ModelProfile;
import io.elaswave.planner.PlanRequest;
import io.elaswave.planner.RankId;
import io.elaswave.planner.RankInfo;
import io.elaswave.planner.StaticPlanner;
import io.elaswave.planner.elastic.ElasticPlanner;
import io.elaswave.planner.elastic.MigrationPlan;
import io.elaswave.planner.elastic.SnapshotBuddies;
import io.elaswave.planner.elastic.TransferPlan;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ElasWavePolicyTest {
  private static final ModelProfile SMALL = ModelProfile.estimate(ModelConfig.preset("small", 65), 2);
  private static final Measurements M = Measurements.estimated(SMALL);
  private final RecoveryPolicy policy = new ElasWavePolicy(MigrationPlan.Mode.BLOCKING);

  private static Layout initial(int dp, int pp, int g, int nodes) {
    List<RankInfo> ranks = new ArrayList<>();
    for (int r = 0; r < dp * pp; r++) {
      ranks.add(RankInfo.of(r, "node-" + (r % nodes)));
    }
    return StaticPlanner.plan(PlanRequest.of(ranks, dp, pp, g, SMALL));
  }

  @Test void aLossIsTheElasticPlannersLayoutUnderTheEventsEpochWithItsTransfers() {
    Layout old = initial(2, 2, 8, 4);
    Set<RankId> lost = Set.of(RankId.of(3));
    RecoveryPlan plan = policy.plan(old, new MembershipEvent.RanksLost(lost, old.epoch() + 3), M);
    Layout direct = ElasticPlanner.afterLoss(old, lost, SMALL, M.memoryCap()).withEpoch(old.epoch() + 3);
    assertEquals(direct, plan.next());
    assertEquals(old.epoch() + 3, plan.next().epoch());
    assertEquals(TransferPlan.between(old, direct, lost, SnapshotBuddies.of(old), SMALL.paramBlocks()),
        plan.transfers());
    assertFalse(plan.transfers().isEmpty(), "the lost rank's layers and blocks must move");
    assertTrue(plan.reason().startsWith("lost [r3]"), plan.reason());
  }

  @Test void blockingMigrationNeverMigratesAfterwards() {
    Layout old = initial(1, 4, 8, 4);
    RecoveryPlan plan = policy.plan(old, new MembershipEvent.RanksLost(Set.of(RankId.of(1)), old.epoch() + 1), M);
    assertTrue(policy.migrateAfterLoss(plan.next(), M).isEmpty());
    assertTrue(new ElasWavePolicy().migrateAfterLoss(
        new ElasWavePolicy().plan(old, new MembershipEvent.RanksLost(Set.of(RankId.of(1)), old.epoch() + 1), M).next(),
        M).isPresent(), "by default a loss recovers first and migrates after");
  }

  @Test void aJoinAddsTheRanksAndMovesStateOnlyFromLiveRanks() {
    Layout old = initial(2, 1, 4, 2);
    List<RankInfo> joined = List.of(RankInfo.of(2, "node-2"));
    RecoveryPlan plan = policy.plan(old, new MembershipEvent.RanksJoined(joined, 1, old.epoch() + 1), M);
    assertEquals(3, plan.next().dp());
    assertTrue(plan.transfers().stream().noneMatch(t -> t.fromSnapshot()), plan.transfers().toString());
    assertTrue(plan.transfers().stream().allMatch(t -> t.to().equals(RankId.of(2))), plan.transfers().toString());
  }

  @Test void losingEveryReplicaIsRefused() {
    Layout old = initial(1, 2, 4, 2);
    assertThrows(IllegalArgumentException.class, () -> policy.plan(old,
        new MembershipEvent.RanksLost(Set.copyOf(old.rankIds()), old.epoch() + 1), M));
  }
}
