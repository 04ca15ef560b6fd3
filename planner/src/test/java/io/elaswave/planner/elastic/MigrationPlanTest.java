package io.elaswave.planner.elastic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.elaswave.engine.model.ModelConfig;
import io.elaswave.planner.Layout;
import io.elaswave.planner.LayoutValidator;
import io.elaswave.planner.ModelProfile;
import io.elaswave.planner.RankId;
import io.elaswave.planner.StageAssignment;
import io.elaswave.planner.measure.StepModel;
import io.elaswave.planner.recovery.Measurements;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MigrationPlanTest {
  private static final ModelProfile SMALL = ModelProfile.estimate(ModelConfig.preset("small", 65), 2);
  private static final Measurements M = Measurements.estimated(SMALL);

  @Test void recoverFirstKeepsEverySurvivorsLayersAndMovesOnlyTheLostOnes() {
    Layout old = ElasticPlannerTest.initial(1, 4, 8, 4);
    Set<RankId> lost = Set.of(RankId.of(1));
    Layout quick = ElasticPlanner.afterLoss(old, lost, M, true);
    for (StageAssignment s : quick.stages()) {
      StageAssignment before = old.stageOf(s.rank());
      assertTrue(s.layerFrom() <= before.layerFrom() && s.layerTo() >= before.layerTo(), s + " lost layers of " + before);
    }
    var moved = TransferPlan.between(old, quick, lost, SnapshotBuddies.of(old), SMALL.paramBlocks());
    var lostLayers = old.stageOf(RankId.of(1));
    assertTrue(moved.stream().allMatch(t -> lostLayers.holds(t.layer())), "only the lost stage's layers move: " + moved);
    Layout balanced = ElasticPlanner.afterLoss(old, lost, M, false);
    assertTrue(StepModel.stepTime(balanced, M) < StepModel.stepTime(quick, M), "the quick plan is the slower one");
    assertTrue(TransferPlan.between(old, balanced, lost, SnapshotBuddies.of(old), SMALL.paramBlocks()).size()
        > moved.size(), "the balanced plan moves more state");
  }

  @Test void theMigrationShadowsEveryGainedBlockAndTheSwitchServesThemLocally() {
    Layout old = ElasticPlannerTest.initial(1, 4, 8, 4);
    Layout quick = ElasticPlanner.afterLoss(old, Set.of(RankId.of(1)), M, true);
    MigrationPlan plan = MigrationPlan.toward(quick, M).orElseThrow();
    assertEquals(List.of(), LayoutValidator.violations(plan.target(), SMALL.paramBlocks()));
    assertTrue(StepModel.stepTime(plan.target(), M) < StepModel.stepTime(quick, M));
    assertFalse(plan.shadows().isEmpty());
    for (Shadow s : plan.shadows()) {
      assertFalse(quick.stageOf(s.holder()).holds(s.layer()), s + ": the holder computes the layer already");
      assertTrue(plan.target().stageOf(s.holder()).holds(s.layer()), s + ": the holder will not hold the layer");
      assertEquals(quick.ownerOfBlock(s.layer(), s.block()), s.owner());
    }
    for (Transfer t : plan.switchTransfers()) {
      boolean gained = !quick.stageOf(t.to()).holds(t.layer());
      assertEquals(gained, t.from().equals(t.to()), t + ": a gained block is served from the holder's own shadow");
      if (gained) {
        assertTrue(t.fromSnapshot() && t.ofRank().equals(quick.ownerOfBlock(t.layer(), t.block())), t.toString());
      }
    }
  }

  @Test void aBalancedLayoutNeedsNoMigration() {
    Layout old = ElasticPlannerTest.initial(2, 2, 8, 4);
    assertTrue(MigrationPlan.toward(old, M).isEmpty());
    Layout quick = ElasticPlanner.afterLoss(old, Set.of(RankId.of(3)), M, true); // one survivor: nothing to balance
    assertTrue(MigrationPlan.toward(quick, M).isEmpty());
  }

  @Test void everyRecoverFirstLayoutIsValidAndMigratesToAValidOne() {
    Random rnd = new Random(5);
    for (int trial = 0; trial < 200; trial++) {
      int dp = 1 + rnd.nextInt(3);
      int pp = 1 + rnd.nextInt(5);
      Layout old = ElasticPlannerTest.initial(dp, pp, dp + rnd.nextInt(6), 1 + rnd.nextInt(4));
      List<RankId> ids = new ArrayList<>(old.rankIds());
      RankId gone = ids.get(rnd.nextInt(ids.size()));
      if (old.dp() == 1 && old.stageCount(0) == 1) {
        continue;
      }
      Layout quick = ElasticPlanner.afterLoss(old, Set.of(gone), M, true);
      assertEquals(List.of(), LayoutValidator.violations(quick, SMALL.paramBlocks()), quick.describe());
      MigrationPlan.toward(quick, M).ifPresent(p ->
          assertEquals(List.of(), LayoutValidator.violations(p.target(), SMALL.paramBlocks()), p.target().describe()));
    }
  }
}
