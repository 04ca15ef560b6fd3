package io.elaswave.planner.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.elaswave.engine.model.ModelConfig;
import io.elaswave.planner.InfeasiblePartitionException;
import io.elaswave.planner.LayerRange;
import io.elaswave.planner.Layout;
import io.elaswave.planner.MicroBatchAssigner;
import io.elaswave.planner.ModelProfile;
import io.elaswave.planner.PlanRequest;
import io.elaswave.planner.RankId;
import io.elaswave.planner.RankInfo;
import io.elaswave.planner.StagePartition;
import io.elaswave.planner.StagePartitioner;
import io.elaswave.planner.StaticPlanner;
import io.elaswave.planner.elastic.ElasticPlanner;
import io.elaswave.planner.recovery.Measurements;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Plans from measured costs: never worse than the estimate-based plan on the true costs, and optimal where checkable. */
class MeasuredPlanningTest {
  private static final ModelProfile SMALL = ModelProfile.estimate(ModelConfig.preset("small", 65), 4);

  /** The largest stage time of {@code ranges} on stages of {@code speeds}. */
  private static double bottleneck(List<LayerRange> ranges, double[] costs, double[] speeds) {
    double worst = 0;
    for (int s = 0; s < ranges.size(); s++) {
      double c = 0;
      for (int l = ranges.get(s).from(); l < ranges.get(s).to(); l++) {
        c += costs[l];
      }
      worst = Math.max(worst, c / speeds[s]);
    }
    return worst;
  }

  /** The best bottleneck over every contiguous split, by enumerating the cut points. */
  private static double bruteForce(double[] costs, double[] speeds) {
    return bruteForce(costs, speeds, 0, 0);
  }

  private static double bruteForce(double[] costs, double[] speeds, int from, int stage) {
    int left = speeds.length - stage;
    if (left == 1) {
      double c = 0;
      for (int l = from; l < costs.length; l++) {
        c += costs[l];
      }
      return c / speeds[stage];
    }
    double best = Double.POSITIVE_INFINITY;
    double c = 0;
    for (int to = from + 1; to <= costs.length - left + 1; to++) {
      c += costs[to - 1];
      best = Math.min(best, Math.max(c / speeds[stage], bruteForce(costs, speeds, to, stage + 1)));
    }
    return best;
  }

  @Test
  void theSpeedAwarePartitionIsOptimalAndNeverWorseThanTheEstimateBasedOne() {
    Random rnd = new Random(7);
    for (int trial = 0; trial < 400; trial++) {
      int layers = 2 + rnd.nextInt(9);
      int stages = 1 + rnd.nextInt(Math.min(layers, 5));
      double[] estimate = new double[layers];
      double[] truth = new double[layers];
      for (int l = 0; l < layers; l++) {
        estimate[l] = 1 + rnd.nextInt(10);
        truth[l] = estimate[l] * (0.5 + rnd.nextDouble()); // the FLOP estimate is off by up to 2x
      }
      double[] speeds = new double[stages];
      for (int s = 0; s < stages; s++) {
        speeds[s] = rnd.nextDouble() < 0.3 ? 0.2 + 0.5 * rnd.nextDouble() : 1.0;
      }
      StagePartition measured = StagePartitioner.partition(truth, new long[layers], new long[layers], speeds,
          new int[stages], StagePartitioner.NO_MEMORY_CAP);
      StagePartition estimated = StagePartitioner.partition(estimate, stages);
      double m = bottleneck(measured.stages(), truth, speeds);
      assertEquals(m, measured.bottleneck(), 1e-9);
      assertTrue(m <= bottleneck(estimated.stages(), truth, speeds) + 1e-9, "trial " + trial);
      assertEquals(bruteForce(truth, speeds), m, 1e-9, "trial " + trial + ": not the minimax partition");
    }
  }

  @Test
  void theMemoryCapCountsActivationsPerMicroBatchInFlight() {
    double[] costs = {1, 1, 1, 1};
    long[] state = {10, 10, 10, 10};
    long[] act = {5, 5, 5, 5};
    double[] speeds = {1, 1};
    int[] inFlight = {2, 1}; // 1F1B: stage 0 of 2 keeps two micro-batches, stage 1 one
    // stage 0 with layers [0,2): 20 + 2*10 = 40; stage 1 [2,4): 20 + 10 = 30
    StagePartition fit = StagePartitioner.partition(costs, state, act, speeds, inFlight, 40);
    assertEquals(List.of(new LayerRange(0, 2), new LayerRange(2, 4)), fit.stages());
    // cap 35: stage 0 can hold only one layer (10 + 2*5 = 20), stage 1 then three (30 + 15 = 45 > 35)
    InfeasiblePartitionException e = assertThrows(InfeasiblePartitionException.class,
        () -> StagePartitioner.partition(costs, state, act, speeds, inFlight, 35));
    assertTrue(e.getMessage().contains("activations 20 bytes per micro-batch in flight"), e.getMessage());
    StagePartition skewed = StagePartitioner.partition(costs, state, act, speeds, new int[] {3, 1}, 45);
    assertEquals(new LayerRange(0, 1), skewed.stages().get(0), "the deep-in-flight first stage takes less");
  }

  @Test
  void aStaticPlanThatCannotFitIsRefusedWithItsReason() {
    List<RankInfo> ranks = RankInfo.packed(2, 1, "n");
    long[] act = CostModelFixture.activations();
    InfeasiblePartitionException e = assertThrows(InfeasiblePartitionException.class,
        () -> StaticPlanner.plan(new PlanRequest(ranks, 1, 2, 4, SMALL, 1 << 20), act));
    assertTrue(e.getMessage().startsWith("no split of 8 layers into 2 stages fits the memory cap of 1048576"),
        e.getMessage());
  }

  @Test
  void microBatchesFollowMeasuredSpeedAndComeWithinOneOfTheBestIntegerSplit() {
    Random rnd = new Random(11);
    for (int trial = 0; trial < 300; trial++) {
      int dp = 1 + rnd.nextInt(4);
      int g = dp + rnd.nextInt(13);
      double[] v = new double[dp];
      for (int r = 0; r < dp; r++) {
        v[r] = rnd.nextDouble() < 0.4 ? 0.1 + 0.6 * rnd.nextDouble() : 1.0;
      }
      int[] sizes = MicroBatchAssigner.sizes(g, v);
      int[] equal = MicroBatchAssigner.sizes(g, ones(dp));
      double t = time(sizes, v);
      double best = MicroBatchAssigner.bestSplitTime(g, v);
      double slowest = Arrays.stream(v).map(x -> 1 / x).max().orElseThrow();
      assertTrue(t <= time(equal, v) + 1e-9, "trial " + trial + ": worse than the equal split");
      assertTrue(t <= best + slowest + 1e-9, "trial " + trial + ": " + Arrays.toString(sizes) + " vs best " + best);
      assertEquals(smallestFeasibleTime(g, v), best, 1e-9, "trial " + trial);
      assertTrue(best <= t + 1e-9, "no split beats the best");
    }
  }

  private static double[] ones(int n) {
    double[] x = new double[n];
    Arrays.fill(x, 1.0);
    return x;
  }

  private static double time(int[] sizes, double[] v) {
    double t = 0;
    for (int r = 0; r < v.length; r++) {
      t = Math.max(t, sizes[r] / v[r]);
    }
    return t;
  }

  /**
   * The best max(n_r / v_r), found another way than the planner's enumeration: the smallest
   * candidate time T = k / v_r at which every replica can take at least one id and together
   * floor(T · v_r) reach G.
   */
  private static double smallestFeasibleTime(int g, double[] v) {
    double best = Double.POSITIVE_INFINITY;
    for (double speed : v) {
      for (int k = 1; k <= g; k++) {
        double t = k / speed;
        long ids = 0;
        boolean everyOne = true;
        for (double x : v) {
          long n = (long) Math.floor(t * x + 1e-9);
          everyOne &= n >= 1;
          ids += n;
        }
        if (everyOne && ids >= g) {
          best = Math.min(best, t);
        }
      }
    }
    return best;
  }

  /** Samples of ranks with known speeds over layers of known cost, with noise. */
  private static List<RankSample> step(Map<RankId, double[]> held, Map<RankId, Double> speed, double[] cost,
      Random rnd, double noise) {
    List<RankSample> out = new ArrayList<>();
    held.forEach((rank, range) -> {
      int from = (int) range[0];
      int to = (int) range[1];
      double[] ms = new double[to - from];
      for (int l = from; l < to; l++) {
        ms[l - from] = cost[l] / speed.get(rank) * (1 + noise * (2 * rnd.nextDouble() - 1));
      }
      out.add(new RankSample(rank, from, ms, new long[to - from]));
    });
    return out;
  }

  @Test
  void theTrackerRecoversRankSpeedsAndLayerCostsFromNoisyTimes() {
    double[] cost = {2, 10, 10, 10, 10, 10, 10, 6};
    Map<RankId, double[]> held = new HashMap<>(); // dp2 x pp2: r0,r1 replica 0; r2,r3 replica 1
    held.put(RankId.of(0), new double[] {0, 4});
    held.put(RankId.of(1), new double[] {4, 8});
    held.put(RankId.of(2), new double[] {0, 4});
    held.put(RankId.of(3), new double[] {4, 8});
    Map<RankId, Double> speed = Map.of(RankId.of(0), 1.0, RankId.of(1), 1.0, RankId.of(2), 1.0, RankId.of(3), 0.3);
    CostTracker tracker = new CostTracker();
    Random rnd = new Random(3);
    for (int s = 0; s < 6; s++) {
      tracker.addStep(step(held, speed, cost, rnd, 0.05));
    }
    tracker.addStep(step(held, Map.of(RankId.of(0), 1.0, RankId.of(1), 1.0, RankId.of(2), 1.0, RankId.of(3), 0.05),
        cost, rnd, 0)); // one outlier step moves nothing: medians
    Measurements m = tracker.measurements(SMALL, new long[8], StagePartitioner.NO_MEMORY_CAP);
    assertEquals(1.0, m.speed(RankId.of(0)), 0.08);
    assertEquals(0.3, m.speed(RankId.of(3)) / m.speed(RankId.of(1)), 0.03);
    double[] c = m.profile().layerCosts();
    for (int l = 0; l < 8; l++) {
      assertEquals(cost[l] / cost[1], c[l] / c[1], 0.1, "layer " + l);
    }
    assertEquals(7, m.measuredSteps());
  }

  @Test
  void unmeasuredLayersKeepTheEstimateScaledToTheMeasuredOnes() {
    CostTracker tracker = new CostTracker();
    double[] est = SMALL.layerCosts();
    double[] ms = new double[4];
    for (int l = 0; l < 4; l++) {
      ms[l] = est[l] * 2e-6;
    }
    tracker.addStep(List.of(new RankSample(RankId.of(0), 0, ms, new long[] {1, 2, 3, 4})));
    Measurements m = tracker.measurements(SMALL, new long[] {9, 9, 9, 9, 9, 9, 9, 9}, 1L << 40);
    for (int l = 0; l < 8; l++) {
      assertEquals(est[l] * 2e-6, m.profile().layerCosts()[l], 1e-9 * est[l], "layer " + l);
    }
    assertEquals(List.of(1L, 2L, 3L, 4L, 9L, 9L, 9L, 9L), Arrays.stream(m.activationBytes()).boxed().toList());
    assertEquals(1.0, m.speed(RankId.of(7)), "a rank nobody measured runs at 1");
  }

  @Test
  void aRebalanceMovesLayersOffASlowStageAndMicroBatchesOffASlowReplica() {
    List<RankInfo> ranks = RankInfo.packed(4, 1, "node-");
    Layout old = StaticPlanner.plan(PlanRequest.of(ranks, 2, 2, 8, SMALL));
    Map<RankId, Double> speeds = Map.of(RankId.of(0), 1.0, RankId.of(1), 0.4, RankId.of(2), 1.0, RankId.of(3), 1.0);
    Measurements m = new Measurements(SMALL, speeds, new long[8], StagePartitioner.NO_MEMORY_CAP, 5);
    Layout next = ElasticPlanner.rebalance(old, m, "r1 slow");
    var slowStage = next.stageOf(RankId.of(1));
    var before = old.stageOf(RankId.of(1));
    assertTrue(slowStage.layerTo() - slowStage.layerFrom() < before.layerTo() - before.layerFrom(),
        "the slow stage holds fewer layers: " + next.describe());
    assertEquals(old.stagesOfReplica(1), next.stagesOfReplica(1), "the healthy replica keeps its partition");
    assertTrue(next.reason().contains("replica 0 layers"), next.reason());
    assertTrue(!next.reason().contains("replica 1 layers"), next.reason());
    assertTrue(next.microBatchesOf(0).size() < next.microBatchesOf(1).size(), next.describe());
    assertTrue(StepModel.stepTime(next, m) < StepModel.stepTime(old, m));
    assertEquals(old.rankIds(), next.rankIds());
  }

  /** Activation figures of {@code small} for a micro-batch of 8 sequences, via the cost model. */
  private static final class CostModelFixture {
    static long[] activations() {
      return io.elaswave.planner.CostModel.activationBytes(ModelConfig.preset("small", 65), 8);
    }
  }
}
