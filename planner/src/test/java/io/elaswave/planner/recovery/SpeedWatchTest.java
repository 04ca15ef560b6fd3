package io.elaswave.planner.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.elaswave.engine.model.ModelConfig;
import io.elaswave.planner.Layout;
import io.elaswave.planner.ModelProfile;
import io.elaswave.planner.PlanRequest;
import io.elaswave.planner.RankId;
import io.elaswave.planner.RankInfo;
import io.elaswave.planner.StagePartitioner;
import io.elaswave.planner.StaticPlanner;
import io.elaswave.planner.measure.StepModel;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Fail-slow decisions: a slow rank is planned around after a streak, its recovery undoes it, noise never re-plans. */
class SpeedWatchTest {
  private static final ModelProfile SMALL = ModelProfile.estimate(ModelConfig.preset("small", 65), 4);
  private static final ElasWavePolicy POLICY = new ElasWavePolicy();

  private static Measurements speeds(double... v) {
    Map<RankId, Double> m = new HashMap<>();
    for (int r = 0; r < v.length; r++) {
      m.put(RankId.of(r), v[r]);
    }
    return new Measurements(SMALL, m, new long[SMALL.layerCount()], StagePartitioner.NO_MEMORY_CAP, 10);
  }

  @Test
  void aSlowReplicaLosesItsMicroBatchesAfterAStreakAndGetsThemBackWhenItRecovers() {
    Layout dp4 = StaticPlanner.plan(PlanRequest.of(RankInfo.packed(4, 1, "node-"), 4, 1, 16, SMALL));
    SpeedWatch watch = new SpeedWatch();
    Measurements slow = speeds(1, 1, 0.33, 1);
    SpeedWatch.Decision d = decide(watch, dp4, slow, 2);
    assertEquals("slow", d.event().cause());
    assertEquals(List.of(RankId.of(2)), d.slow());
    Layout next = d.plan().next();
    SpeedWatch fresh = new SpeedWatch();
    for (int i = 0; i < 10; i++) {
      assertTrue(fresh.observe(next, slow, POLICY, 3).isEmpty(), "planned for: nothing more to gain");
    }
    assertEquals(2, next.epoch());
    assertEquals(List.of(5, 5, 1, 5), next.microBatchRanges().stream().map(r -> r.size()).toList());
    assertTrue(d.afterMillis() < 0.5 * d.beforeMillis(), d.toString());

    Measurements healed = speeds(1, 1, 1, 1);
    for (int i = 0; i < SpeedWatch.COOLDOWN; i++) {
      assertTrue(watch.observe(next, healed, POLICY, 3).isEmpty(), "cooling down after the re-plan");
    }
    SpeedWatch.Decision back = decide(watch, next, healed, 3);
    assertEquals("speed-recovered", back.event().cause());
    assertEquals(List.of(4, 4, 4, 4), back.plan().next().microBatchRanges().stream().map(r -> r.size()).toList());
  }

  /** Observes {@code m} until the watch decides: exactly at the streak's last commit. */
  private static SpeedWatch.Decision decide(SpeedWatch watch, Layout layout, Measurements m, long epoch) {
    for (int i = 1; i < SpeedWatch.STREAK; i++) {
      assertTrue(watch.observe(layout, m, POLICY, epoch).isEmpty(), i + " steps are not a streak");
    }
    return watch.observe(layout, m, POLICY, epoch).orElseThrow();
  }

  @Test
  void noiseAndTheFirstStepsNeverReplan() {
    Layout dp4 = StaticPlanner.plan(PlanRequest.of(RankInfo.packed(4, 1, "node-"), 4, 1, 16, SMALL));
    SpeedWatch watch = new SpeedWatch();
    Random rnd = new Random(5);
    for (int step = 0; step < 200; step++) {
      double[] v = new double[4];
      for (int r = 0; r < 4; r++) {
        v[r] = 0.9 + 0.2 * rnd.nextDouble();
      }
      assertEquals(Optional.empty(), watch.observe(dp4, speeds(v), POLICY, 2).map(d -> d.event().cause()));
    }
    Measurements early = new Measurements(SMALL, Map.of(RankId.of(2), 0.2), new long[SMALL.layerCount()],
        StagePartitioner.NO_MEMORY_CAP, SpeedWatch.WARM_STEPS - 1);
    for (int step = 0; step < 5; step++) {
      assertTrue(watch.observe(dp4, early, POLICY, 2).isEmpty(), "warm-up steps are not trusted");
    }
  }

  @Test
  void slownessThatMovesFromRankToRankNeverReplans() {
    Layout dp4 = StaticPlanner.plan(PlanRequest.of(RankInfo.packed(4, 1, "node-"), 4, 1, 16, SMALL));
    SpeedWatch watch = new SpeedWatch();
    for (int step = 0; step < 10 * SpeedWatch.STREAK; step++) {
      double[] v = {1, 1, 1, 1};
      v[1 + (step / (SpeedWatch.STREAK - 1)) % 3] = 0.4; // each set just short of a streak
      Measurements m = speeds(v);
      assertTrue(SpeedWatch.judge(dp4, m, POLICY, 2, "").isPresent(), "each window alone would re-plan");
      assertEquals(Optional.empty(), watch.observe(dp4, m, POLICY, 2).map(d -> d.slow()), "step " + step);
    }
  }

  /** SlowNodeRunTest's budgeted nodes: beside the slowed rank a healthy one still warming up flickers in and out. */
  @Test
  void aSlowRankWithAnotherFlickeringBesideItStillReplans() {
    Layout dp4 = StaticPlanner.plan(PlanRequest.of(RankInfo.packed(4, 1, "node-"), 4, 1, 16, SMALL));
    SpeedWatch watch = new SpeedWatch();
    for (int step = 1; step < SpeedWatch.STREAK; step++) {
      Measurements m = step % 2 == 0 ? speeds(1, 0.6, 0.1, 1) : speeds(1, 1, 0.1, 1);
      assertEquals(Optional.empty(), watch.observe(dp4, m, POLICY, 2).map(d -> d.slow()), "step " + step);
    }
    SpeedWatch.Decision d = watch.observe(dp4, speeds(1, 0.6, 0.1, 1), POLICY, 2).orElseThrow();
    assertTrue(d.slow().contains(RankId.of(2)), d.slow().toString());
  }

  @Test
  void inAPipelineLayersMoveOffTheSlowStage() {
    Layout pp = StaticPlanner.plan(PlanRequest.of(RankInfo.packed(4, 1, "node-"), 2, 2, 8, SMALL));
    SpeedWatch watch = new SpeedWatch();
    Measurements slow = speeds(1, 0.3, 1, 1);
    SpeedWatch.Decision d = decide(watch, pp, slow, 2);
    var before = pp.stageOf(RankId.of(1));
    var after = d.plan().next().stageOf(RankId.of(1));
    assertTrue(after.layerTo() - after.layerFrom() < before.layerTo() - before.layerFrom(), d.plan().next().describe());
    assertTrue(d.plan().transfers().size() > 0, "the layers that move are transferred");
  }

  @Test
  void afterTheSlowRankRecoversTheBalancedPlanComesBackEvenForASmallGain() {
    Layout dp4 = StaticPlanner.plan(PlanRequest.of(RankInfo.packed(4, 1, "node-"), 4, 1, 64, SMALL));
    SpeedWatch watch = new SpeedWatch();
    Measurements slow = speeds(1, 1, 0.6, 1);
    Layout adapted = decide(watch, dp4, slow, 2).plan().next();
    Measurements healed = speeds(1, 1, 1, 1);
    double gain = 1 - StepModel.stepTime(dp4, healed) / StepModel.stepTime(adapted, healed);
    assertTrue(gain > SpeedWatch.RECOVERED_GAIN && gain < SpeedWatch.GAIN,
        "the case: less to gain back than a re-plan for speed needs, " + gain + " " + adapted.describe());
    Optional<SpeedWatch.Decision> back = Optional.empty();
    for (int i = 0; i < SpeedWatch.COOLDOWN + SpeedWatch.STREAK && back.isEmpty(); i++) {
      back = watch.observe(adapted, healed, POLICY, 3);
    }
    assertEquals("speed-recovered", back.orElseThrow().event().cause(), "a layout made for a slowness that is gone");
    assertEquals(List.of(16, 16, 16, 16), back.get().plan().next().microBatchRanges().stream().map(r -> r.size())
        .toList());
    for (int i = 0; i < 3 * SpeedWatch.COOLDOWN; i++) {
      assertTrue(watch.observe(back.get().plan().next(), healed, POLICY, 4).isEmpty(), "once, not again");
    }
  }
}
