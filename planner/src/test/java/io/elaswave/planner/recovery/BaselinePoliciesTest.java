package io.elaswave.planner.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.elaswave.engine.model.ModelConfig;
import io.elaswave.planner.Layout;
import io.elaswave.planner.MicroBatchRange;
import io.elaswave.planner.ModelProfile;
import io.elaswave.planner.NodeId;
import io.elaswave.planner.PlanRequest;
import io.elaswave.planner.RankId;
import io.elaswave.planner.RankInfo;
import io.elaswave.planner.StageAssignment;
import io.elaswave.planner.StaticPlanner;
import io.elaswave.planner.elastic.Transfer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The standard cases of the three baselines on the bench's shape, dp2 × pp4 over 8 nodes (one
 * working rank a node, ranks 0–3 replica 0, 4–7 replica 1): which ranks idle, which replica
 * drops, where micro-batches go, and whether the global batch is kept.
 */
class BaselinePoliciesTest {
  private static final ModelProfile SMALL = ModelProfile.estimate(ModelConfig.preset("small", 65), 2);
  private static final Measurements M = Measurements.estimated(SMALL);
  private static final RankId R5 = RankId.of(5);

  /** dp × pp, one working rank per node; with {@code standby}, rank 8+i waits on node i. */
  private static Layout initial(int dp, int pp, int g, boolean standby) {
    List<RankInfo> ranks = new ArrayList<>();
    for (int r = 0; r < dp * pp; r++) {
      ranks.add(RankInfo.of(r, "node-" + r));
    }
    Layout l = StaticPlanner.plan(PlanRequest.of(ranks, dp, pp, g, SMALL));
    if (!standby) {
      return l;
    }
    List<RankInfo> waiting = new ArrayList<>();
    for (int r = 0; r < dp * pp; r++) {
      waiting.add(RankInfo.of(dp * pp + r, "node-" + r));
    }
    return l.withStandby(waiting);
  }

  private static MembershipEvent.RanksLost lose(Layout l, RankId... ranks) {
    return new MembershipEvent.RanksLost(Set.of(ranks), l.epoch() + 1);
  }

  @Test void torchftStopsTheHitReplicaKeepsTheOthersIdsAndShrinksTheBatch() {
    Layout old = initial(2, 4, 8, false);
    RecoveryPlan plan = new TorchFtPolicy().plan(old, lose(old, R5), M);
    Layout next = plan.next();
    assertEquals(1, next.dp());
    assertEquals(old.ranksOfReplica(0), next.ranksOfReplica(0));
    assertEquals(old.stagesOfReplica(0), next.stagesOfReplica(0), "no re-partition");
    assertEquals(old.microBatchesOf(0), next.microBatchesOf(0), "the live replica keeps its own ids");
    assertFalse(next.fullBatch());
    assertEquals(4, next.batchMicroBatches());
    assertEquals(List.of(RankId.of(4), RankId.of(6), RankId.of(7)),
        next.standby().stream().map(RankInfo::rank).toList(), "the stopped replica's survivors wait");
    assertTrue(plan.reason().contains("batch 4 of 8"), plan.reason());
    assertEquals(RecoveryPlan.Resume.LIVE, plan.resume());
    // the stopped replica's blocks (the lost rank's from its buddy's snapshot) move to replica 0
    assertTrue(plan.transfers().stream().allMatch(t -> t.kind() == Transfer.Kind.MOMENTS), plan.transfers().toString());
    assertTrue(plan.transfers().stream().allMatch(t -> next.ranksOfReplica(0).contains(t.to())));
    assertTrue(plan.transfers().stream().anyMatch(Transfer::fromSnapshot));
  }

  @Test void torchftHealsTheStoppedReplicaWhenANodeJoinsAndGetsItsIdsBack() {
    Layout old = initial(2, 4, 8, false);
    Layout shrunk = new TorchFtPolicy().plan(old, lose(old, R5), M).next();
    RankInfo joiner = RankInfo.of(8, "node-8");
    RecoveryPlan plan = new TorchFtPolicy().plan(shrunk,
        new MembershipEvent.RanksJoined(List.of(joiner), 4, shrunk.epoch() + 1), M);
    Layout healed = plan.next();
    assertEquals(2, healed.dp());
    assertTrue(healed.fullBatch());
    assertEquals(new MicroBatchRange(4, 8), healed.microBatchesOf(1));
    assertEquals(List.of(RankId.of(4), RankId.of(6), RankId.of(7), RankId.of(8)), healed.ranksOfReplica(1));
    assertEquals(List.of(), healed.standby());
    for (int s = 0; s < 4; s++) { // the same partition as the live replica
      StageAssignment live = healed.stagesOfReplica(0).get(s);
      StageAssignment back = healed.stagesOfReplica(1).get(s);
      assertEquals(live.layerFrom(), back.layerFrom());
      assertEquals(live.layerTo(), back.layerTo());
    }
    assertTrue(plan.transfers().stream().noneMatch(Transfer::fromSnapshot), "healed from live peers");
  }

  @Test void adjacentStoppedReplicasAreHealedOneReplicasIdsAtATime() {
    Layout old = initial(3, 2, 6, false); // ids [0,2) [2,4) [4,6)
    Layout shrunk = new TorchFtPolicy().plan(old, lose(old, RankId.of(2), RankId.of(4)), M).next();
    assertEquals(List.of(new MicroBatchRange(0, 2)), shrunk.microBatchRanges(), "replicas 1 and 2 stop");
    List<RankInfo> joined = List.of(RankInfo.of(6, "node-6"), RankInfo.of(7, "node-7"));
    Layout healed = new TorchFtPolicy().plan(shrunk, new MembershipEvent.RanksJoined(joined, 2,
        shrunk.epoch() + 1), M).next();
    assertEquals(3, healed.dp(), "two replicas healed from the waiting survivors and the joiners: " + healed.describe());
    assertTrue(healed.microBatchRanges().stream().allMatch(r -> r.size() == 2),
        "each healed replica gets one replica's ids, not the whole run of stopped ids: " + healed.microBatchRanges());
    assertTrue(healed.fullBatch());
  }

  @Test void torchftWithTooFewRanksToHealLeavesThemWaiting() {
    Layout old = initial(2, 4, 8, false);
    Layout shrunk = new TorchFtPolicy().plan(old, lose(old, R5, RankId.of(7)), M).next();
    Layout next = new TorchFtPolicy().plan(shrunk, new MembershipEvent.RanksJoined(List.of(RankInfo.of(8, "node-8")),
        4, shrunk.epoch() + 1), M).next();
    assertEquals(1, next.dp());
    assertEquals(3, next.standby().size());
    assertThrows(IllegalArgumentException.class, () -> new TorchFtPolicy().plan(old, lose(old, RankId.of(0), R5), M),
        "a lost rank in every replica leaves nothing to train");
  }

  @Test void recycleRunsTheLostStageOnAPeersNodeKeepingBatchIdsAndPartition() {
    Layout old = initial(2, 4, 8, true);
    RecoveryPlan plan = new RecyclePolicy().plan(old, lose(old, R5), M);
    Layout next = plan.next();
    StageAssignment gone = old.stageOf(R5);
    RankId peer = old.stagesOfReplica(0).get(gone.stage()).rank(); // r1, on node-1
    RankId standIn = RankId.of(8 + peer.value()); // the standby rank on that node
    StageAssignment taken = next.stageOf(standIn);
    assertEquals(List.of(gone.replica(), gone.stage(), gone.layerFrom(), gone.layerTo()),
        List.of(taken.replica(), taken.stage(), taken.layerFrom(), taken.layerTo()));
    assertEquals(NodeId.of("node-" + peer.value()), next.nodeOf(standIn));
    assertEquals(old.microBatchRanges(), next.microBatchRanges());
    assertTrue(next.fullBatch());
    assertEquals(old.blocksOwnedBy(R5), next.blocksOwnedBy(standIn), "the stand-in inherits the lost rank's blocks");
    assertEquals(Set.of(standIn), RecyclePolicy.standIns(next));
    assertFalse(next.isStandby(standIn));
    assertEquals(7, next.standby().size(), "the lost node's standby rank died with it; one is working");
    assertTrue(plan.transfers().stream().allMatch(t -> t.to().equals(standIn)), plan.transfers().toString());
    assertTrue(plan.reason().contains("beside " + peer), plan.reason());
  }

  @Test void recycleGivesTheStandInsStageToAJoinerAndTheStandInWaitsAgain() {
    Layout old = initial(2, 4, 8, true);
    Layout covered = new RecyclePolicy().plan(old, lose(old, R5, RankId.of(13)), M).next();
    RankId standIn = RecyclePolicy.standIns(covered).iterator().next();
    List<RankInfo> joined = List.of(RankInfo.of(16, "node-8"), RankInfo.of(17, "node-8"));
    Layout next = new RecyclePolicy().plan(covered, new MembershipEvent.RanksJoined(joined, 4, covered.epoch() + 1),
        M).next();
    assertEquals(old.stageOf(R5).layerFrom(), next.stageOf(RankId.of(16)).layerFrom());
    assertEquals(old.stageOf(R5).replica(), next.stageOf(RankId.of(16)).replica());
    assertTrue(next.isStandby(standIn));
    assertTrue(next.isStandby(RankId.of(17)));
    assertEquals(Set.of(), RecyclePolicy.standIns(next));
    assertEquals(old.blocksOwnedBy(R5), next.blocksOwnedBy(RankId.of(16)));
  }

  @Test void aJoinedNodeKeepsItsStandbyRankWhenStandInsOfTwoFailuresWait() {
    Layout old = initial(2, 4, 8, true);
    Layout covered = new RecyclePolicy().plan(old, lose(old, R5), M).next();
    covered = new RecyclePolicy().plan(covered, lose(covered, RankId.of(2)), M).next(); // another replica's stage
    assertEquals(2, RecyclePolicy.standIns(covered).size(), covered.describe());
    List<RankInfo> joined = List.of(RankInfo.of(16, "node-8"), RankInfo.of(17, "node-8"));
    Layout next = new RecyclePolicy().plan(covered, new MembershipEvent.RanksJoined(joined, 4, covered.epoch() + 1),
        M).next();
    assertTrue(next.isStandby(RankId.of(17)), "the new node's standby rank stays free: " + next.describe());
    assertEquals(1, next.stages().stream().filter(st -> next.nodeOf(st.rank()).equals(NodeId.of("node-8"))).count(),
        "one working rank on a node of one: " + next.describe());
    assertEquals(1, RecyclePolicy.standIns(next).size(), "the other stand-in waits for the next join");
  }

  @Test void recycleWithoutAStandbyRankBesideAPeerCannotRecover() {
    Layout old = initial(2, 4, 8, false);
    assertThrows(IllegalArgumentException.class, () -> new RecyclePolicy().plan(old, lose(old, R5), M));
  }

  @Test void restartPlansAStaticLayoutOfWholeReplicasOnTheSurvivorsFromACheckpoint() {
    Layout old = initial(2, 4, 8, false);
    RecoveryPlan plan = new RestartPolicy().plan(old, lose(old, R5), M);
    assertEquals(RecoveryPlan.Resume.FROM_CHECKPOINT, plan.resume());
    assertEquals(List.of(), plan.transfers());
    assertEquals(1, plan.next().dp());
    assertEquals(4, plan.next().stageCount(0));
    assertTrue(plan.next().fullBatch(), "a restart keeps the global batch: redone steps are the same steps");
    assertFalse(plan.next().contains(R5));
    Layout small = plan.next();
    assertEquals(3, small.standby().size(), "the survivors too few for a replica wait: " + small.describe());
    RecoveryPlan restart = new RestartPolicy().plan(small, new MembershipEvent.RanksJoined(
        List.of(RankInfo.of(8, "node-8")), 4, small.epoch() + 1), M);
    assertEquals(RecoveryPlan.Resume.FROM_CHECKPOINT, restart.resume(), "with the waiting three, one more makes a"
        + " replica");
    assertEquals(2, restart.next().dp());
    assertTrue(restart.next().contains(RankId.of(8)));
    Layout full = restart.next();
    RecoveryPlan grow = new RestartPolicy().plan(full, new MembershipEvent.RanksJoined(
        List.of(RankInfo.of(9, "node-9")), 4, full.epoch() + 1), M);
    assertEquals(RecoveryPlan.Resume.LIVE, grow.resume(), "one rank is too few for a replica: it waits");
    assertTrue(grow.next().isStandby(RankId.of(9)));
  }

  @Test void baselinesDoNotReplanForSpeedAndNamesResolve() {
    Layout old = initial(2, 4, 8, false);
    for (String name : List.of("torchft", "recycle", "restart")) {
      RecoveryPolicy p = RecoveryPolicies.named(name);
      assertEquals(name, p.name());
      assertFalse(p.replansForSpeed());
      assertThrows(IllegalArgumentException.class, () -> p.plan(old,
          new MembershipEvent.SpeedsChanged("slow", "r1 at 0.5", old.epoch() + 1), M));
    }
    assertTrue(RecoveryPolicies.named("elaswave").replansForSpeed());
    assertEquals(1, RecoveryPolicies.named("recycle").standbyPerNode());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RecoveryPolicies.named("x"));
    assertEquals("unknown policy 'x', choose one of elaswave, torchft, recycle, restart", e.getMessage());
  }
}
