package io.elaswave.planner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class StagePartitionerTest {
  private static final long NO_CAP = StagePartitioner.NO_MEMORY_CAP;

  @Test
  void matchesBruteForceIncludingTieBreakAndMemoryCap() {
    Random rnd = new Random(20251127);
    int infeasible = 0;
    for (int c = 0; c < 600; c++) {
      int layers = 1 + rnd.nextInt(8);
      int stages = 1 + rnd.nextInt(Math.min(4, layers));
      double[] costs = new double[layers];
      long[] memory = new long[layers];
      for (int l = 0; l < layers; l++) {
        costs[l] = rnd.nextBoolean() ? rnd.nextInt(4) : rnd.nextDouble() * 10; // small ints make ties
        memory[l] = rnd.nextInt(100);
      }
      long cap = rnd.nextInt(3) == 0 ? NO_CAP : 50 + rnd.nextInt(250);
      Brute expected = bruteForce(costs, memory, cap, stages);
      String label = "case " + c;
      if (expected == null) {
        infeasible++;
        assertThrows(InfeasiblePartitionException.class,
            () -> StagePartitioner.partition(costs, memory, cap, stages), label);
        continue;
      }
      StagePartition got = StagePartitioner.partition(costs, memory, cap, stages);
      assertEquals(expected.bottleneck, got.bottleneck(), label); // exact: same summation order
      assertEquals(expected.ranges, got.stages(), label + ": lexicographically smallest optimal cuts");
    }
    assertTrue(infeasible > 10 && infeasible < 400, "both outcomes exercised, infeasible = " + infeasible);
  }

  @Test
  void largerModelsAreBalancedWithinTheObviousBounds() {
    Random rnd = new Random(7);
    for (int c = 0; c < 100; c++) {
      int layers = 1 + rnd.nextInt(60);
      int stages = 1 + rnd.nextInt(Math.min(16, layers));
      double[] costs = rnd.doubles(layers, 0.5, 2.0).toArray();
      StagePartition p = StagePartitioner.partition(costs, stages);
      double total = 0;
      double largest = 0;
      for (double x : costs) {
        total += x;
        largest = Math.max(largest, x);
      }
      assertEquals(stages, p.stageCount());
      assertEquals(layers, p.layerCount());
      assertTrue(p.bottleneck() >= largest && p.bottleneck() >= total / stages * (1 - 1e-12));
      assertTrue(p.bottleneck() <= total / stages + largest + 1e-9, "minimax is within one layer of the mean");
    }
  }

  @Test
  void equalCostsPreferEarlierCuts() {
    StagePartition p = StagePartitioner.partition(new double[] {1, 1, 1, 1, 1}, 2);
    assertEquals(List.of(new LayerRange(0, 2), new LayerRange(2, 5)), p.stages());
    assertEquals(3.0, p.bottleneck());
    assertEquals("[0,2)|[2,5)", p.toString());
  }

  @Test
  void memoryCapMovesTheCut() {
    double[] costs = {1, 1, 1, 1};
    long[] memory = {10, 10, 10, 40};
    assertEquals(List.of(new LayerRange(0, 2), new LayerRange(2, 4)),
        StagePartitioner.partition(costs, memory, NO_CAP, 2).stages());
    StagePartition capped = StagePartitioner.partition(costs, memory, 45, 2); // [2,4) would need 50
    assertEquals(List.of(new LayerRange(0, 3), new LayerRange(3, 4)), capped.stages());
    assertEquals(3.0, capped.bottleneck());
  }

  @Test
  void infeasibleCapIsReportedClearly() {
    InfeasiblePartitionException e = assertThrows(InfeasiblePartitionException.class,
        () -> StagePartitioner.partition(new double[] {1, 1, 1}, new long[] {10, 60, 10}, 50, 2));
    assertTrue(e.getMessage().contains("memory cap of 50 bytes"), e.getMessage());
    assertTrue(e.getMessage().contains("largest layer 60 bytes"), e.getMessage());
  }

  @Test
  void badArgumentsAreRejectedWithTheReason() {
    assertMessage("cannot split 2 layers into 3 stages", () -> StagePartitioner.partition(new double[] {1, 1}, 3));
    assertMessage("at least one stage", () -> StagePartitioner.partition(new double[] {1}, 0));
    assertMessage("cost of layer 1 must be finite", () -> StagePartitioner.partition(new double[] {1, Double.NaN}, 1));
    assertMessage("cost of layer 0 must be finite and >= 0", () -> StagePartitioner.partition(new double[] {-1}, 1));
    assertMessage("2 costs but 1 memory figures",
        () -> StagePartitioner.partition(new double[] {1, 1}, new long[] {1}, NO_CAP, 1));
    assertMessage("memory of layer 0 must be >= 0",
        () -> StagePartitioner.partition(new double[] {1}, new long[] {-5}, NO_CAP, 1));
    assertMessage("memory cap must be > 0", () -> StagePartitioner.partition(new double[] {1}, new long[] {1}, 0, 1));
  }

  static void assertMessage(String fragment, Executable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertTrue(e.getMessage().contains(fragment), "expected '" + fragment + "' in: " + e.getMessage());
  }

  private record Brute(List<LayerRange> ranges, double bottleneck) {}

  /** Every cut vector in lexicographic order; the first with the smallest feasible bottleneck. */
  private static Brute bruteForce(double[] costs, long[] memory, long cap, int stages) {
    Brute[] best = {null};
    enumerate(costs, memory, cap, stages, 0, new ArrayList<>(), best);
    return best[0];
  }

  private static void enumerate(double[] costs, long[] memory, long cap, int stages, int from,
      List<LayerRange> prefix, Brute[] best) {
    int n = costs.length;
    if (prefix.size() == stages - 1) {
      prefix.add(new LayerRange(from, n));
      double max = 0;
      boolean fits = true;
      for (LayerRange r : prefix) {
        double sum = 0;
        long bytes = 0;
        for (int l = r.from(); l < r.to(); l++) {
          sum += costs[l];
          bytes += memory[l];
        }
        max = Math.max(max, sum);
        fits &= bytes <= cap;
      }
      if (fits && (best[0] == null || max < best[0].bottleneck)) {
        best[0] = new Brute(List.copyOf(prefix), max);
      }
      prefix.remove(prefix.size() - 1);
      return;
    }
    int left = stages - prefix.size();
    for (int to = from + 1; to <= n - left + 1; to++) {
      prefix.add(new LayerRange(from, to));
      enumerate(costs, memory, cap, stages, to, prefix, best);
      prefix.remove(prefix.size() - 1);
    }
  }
}
