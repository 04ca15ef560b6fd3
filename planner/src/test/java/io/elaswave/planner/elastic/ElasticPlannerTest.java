package io.elaswave.planner.elastic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.elaswave.engine.model.ModelConfig;
import io.elaswave.engine.param.ParamBlocks;
import io.elaswave.planner.Layout;
import io.elaswave.planner.LayoutValidator;
import io.elaswave.planner.ModelProfile;
import io.elaswave.planner.PlanRequest;
import io.elaswave.planner.RankId;
import io.elaswave.planner.RankInfo;
import io.elaswave.planner.StageAssignment;
import io.elaswave.planner.StagePartitioner;
import io.elaswave.planner.StaticPlanner;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ElasticPlannerTest {
  private static final ModelProfile SMALL = ModelProfile.estimate(ModelConfig.preset("small", 65), 2);
  private static final long NO_CAP = StagePartitioner.NO_MEMORY_CAP;

  /** dp × pp ranks of the small model spread round-robin over {@code nodes}, planned statically. */
  static Layout initial(int dp, int pp, int g, int nodes) {
    List<RankInfo> ranks = new ArrayList<>();
    for (int r = 0; r < dp * pp; r++) {
      ranks.add(RankInfo.of(r, "node-" + (r % nodes)));
    }
    return StaticPlanner.plan(PlanRequest.of(ranks, dp, pp, g, SMALL));
  }

  @Test
  void losingOneStageRepartitionsOnlyThatReplicaAndShiftsMicroBatches() {
    Layout old = initial(2, 2, 8, 4);
    Layout next = ElasticPlanner.afterLoss(old, Set.of(RankId.of(3)), SMALL, NO_CAP);
    assertEquals(old.epoch() + 1, next.epoch());
    assertEquals(old.stagesOfReplica(0), next.stagesOfReplica(0), "the untouched replica keeps its partition");
    assertEquals(1, next.stageCount(1));
    assertEquals(new StageAssignment(RankId.of(2), 1, 0, 0, old.layerCount()), next.stagesOfReplica(1).get(0));
    assertTrue(next.microBatchesOf(1).size() < next.microBatchesOf(0).size(), "the slower replica runs fewer ids");
    assertEquals(8, next.microBatchesOf(0).size() + next.microBatchesOf(1).size());
    assertTrue(next.reason().startsWith("lost [r3]"), next.reason());
  }

  @Test
  void onlyOrphanedBlocksChangeOwner() {
    Random rnd = new Random(17);
    ParamBlocks blocks = SMALL.paramBlocks();
    for (int trial = 0; trial < 150; trial++) {
      int dp = 1 + rnd.nextInt(3);
      int pp = 1 + rnd.nextInt(4);
      Layout old = initial(dp, pp, dp + rnd.nextInt(6), 1 + rnd.nextInt(4));
      Set<RankId> lost = new HashSet<>();
      for (RankId r : old.rankIds()) {
        if (rnd.nextInt(4) == 0) {
          lost.add(r);
        }
      }
      if (lost.size() == old.rankIds().size()) {
        assertThrows(IllegalArgumentException.class, () -> ElasticPlanner.afterLoss(old, lost, SMALL, NO_CAP));
        continue;
      }
      Layout next = ElasticPlanner.afterLoss(old, lost, SMALL, NO_CAP);
      assertEquals(List.of(), LayoutValidator.violations(next, blocks));
      for (RankId r : lost) {
        assertFalse(next.contains(r));
      }
      for (int l = 0; l < blocks.layerCount(); l++) {
        for (int b = 0; b < blocks.blocks(l).size(); b++) {
          RankId before = old.ownerOfBlock(l, b);
          if (next.contains(before) && next.stageOf(before).holds(l)) {
            assertEquals(before, next.ownerOfBlock(l, b), "block " + l + "/" + b + " moved needlessly");
          }
        }
      }
    }
  }

  @Test
  void joinersRestoreAShortReplicaThenFormNewOnes() {
    Layout old = initial(2, 2, 8, 4);
    Layout shrunk = ElasticPlanner.afterLoss(old, Set.of(RankId.of(3)), SMALL, NO_CAP);
    Layout restored = ElasticPlanner.afterJoin(shrunk, List.of(RankInfo.of(4, "node-4")), 2, SMALL, NO_CAP);
    assertEquals(2, restored.stageCount(1));
    assertEquals(List.of(RankId.of(2), RankId.of(4)), restored.ranksOfReplica(1));
    assertEquals(old.stagesOfReplica(1).get(0).layerTo(), restored.stagesOfReplica(1).get(0).layerTo());
    Layout grown = ElasticPlanner.afterJoin(restored, List.of(RankInfo.of(5, "node-5"), RankInfo.of(6, "node-6")), 2,
        SMALL, NO_CAP);
    assertEquals(3, grown.dp());
    assertEquals(List.of(), LayoutValidator.violations(grown, SMALL.paramBlocks()));
    assertTrue(grown.blocksOwnedBy(RankId.of(5)).size() > 0, "blocks flow to the newcomers");
  }

  @Test
  void buddiesLiveOnAnotherNode() {
    Layout layout = initial(2, 2, 4, 2);
    Map<RankId, RankId> buddies = SnapshotBuddies.of(layout);
    assertEquals(layout.rankIds().size(), buddies.size());
    buddies.forEach((rank, buddy) -> assertFalse(layout.nodeOf(rank).equals(layout.nodeOf(buddy)),
        rank + " and its buddy " + buddy + " share a node"));
  }

  @Test
  void transfersMoveEveryNeededBlockExactlyOnceFromASurvivor() {
    Random rnd = new Random(5);
    ParamBlocks blocks = SMALL.paramBlocks();
    for (int trial = 0; trial < 100; trial++) {
      int dp = 1 + rnd.nextInt(3);
      int pp = 1 + rnd.nextInt(3);
      Layout old = initial(dp, pp, 6, 2 + rnd.nextInt(3));
      if (old.rankIds().size() < 2) {
        continue;
      }
      RankId victim = old.rankIds().get(rnd.nextInt(old.rankIds().size()));
      Set<RankId> lost = Set.of(victim);
      Layout next = ElasticPlanner.afterLoss(old, lost, SMALL, NO_CAP);
      Map<RankId, RankId> buddies = SnapshotBuddies.of(old);
      List<Transfer> plan = TransferPlan.between(old, next, lost, buddies, blocks);
      Set<String> seen = new HashSet<>();
      for (Transfer t : plan) {
        assertFalse(lost.contains(t.from()), "a lost rank cannot send: " + t);
        assertTrue(seen.add(t.to() + "/" + t.layer() + "/" + t.block() + "/" + t.kind()), "duplicate " + t);
        if (t.fromSnapshot()) {
          assertEquals(buddies.get(t.ofRank()), t.from());
        }
      }
      for (StageAssignment s : next.stages()) {
        for (int l = s.layerFrom(); l < s.layerTo(); l++) {
          boolean had = old.contains(s.rank()) && old.stageOf(s.rank()).holds(l);
          for (int b = 0; b < blocks.blocks(l).size(); b++) {
            assertEquals(!had, seen.contains(s.rank() + "/" + l + "/" + b + "/PARAMS"), s.rank() + " layer " + l);
          }
        }
      }
      for (int l = 0; l < blocks.layerCount(); l++) {
        for (int b = 0; b < blocks.blocks(l).size(); b++) {
          boolean moved = !old.ownerOfBlock(l, b).equals(next.ownerOfBlock(l, b));
          assertEquals(moved, seen.contains(next.ownerOfBlock(l, b) + "/" + l + "/" + b + "/MOMENTS"));
        }
      }
    }
  }
}
