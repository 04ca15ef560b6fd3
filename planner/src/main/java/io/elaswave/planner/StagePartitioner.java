package io.elaswave.planner;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits layers 0..L−1 into P contiguous non-empty stages minimising the largest stage cost
 * (minimax dynamic program, O(P·L²)), optionally under a per-stage memory cap.
 *
 * <p>A stage's cost is the sum of its layers' costs, added left to right in layer order, so a
 * caller summing the same way gets the same bits. Among optimal partitions the one with the
 * lexicographically smallest cut points wins: earlier cuts, so earlier stages get the lighter
 * share when there is a choice; under 1F1B they keep the most micro-batches in flight.
 */
public final class StagePartitioner {
  /** A memory cap that never binds. */
  public static final long NO_MEMORY_CAP = Long.MAX_VALUE;

  private StagePartitioner() {}

  /** The minimax partition of {@code costs} (one per layer) into {@code stages} stages, no memory cap. */
  public static StagePartition partition(double[] costs, int stages) {
    return partition(costs, new long[costs.length], NO_MEMORY_CAP, stages);
  }

  /**
   * The minimax partition in which no stage's summed {@code memory} (bytes per layer) exceeds
   * {@code memoryCap}; throws {@link InfeasiblePartitionException} if there is none.
   */
  public static StagePartition partition(double[] costs, long[] memory, long memoryCap, int stages) {
    validate(costs, memory, memoryCap, stages);
    int n = costs.length;
    double[][] seg = segmentCosts(costs, memory, memoryCap);
    double[][] best = suffixOptima(seg, n, stages);
    double bottleneck = best[stages][0];
    if (bottleneck == Double.POSITIVE_INFINITY) {
      throw new InfeasiblePartitionException(infeasibleMessage(memory, memoryCap, stages));
    }
    List<LayerRange> ranges = new ArrayList<>(stages);
    int from = 0;
    for (int left = stages; left > 1; left--) {
      int to = from + 1;
      while (!(seg[from][to] <= bottleneck && best[left - 1][to] <= bottleneck)) {
        to++; // terminates: the optimal cut at this point satisfies both
      }
      ranges.add(new LayerRange(from, to));
      from = to;
    }
    ranges.add(new LayerRange(from, n));
    return new StagePartition(ranges, bottleneck);
  }

  /** seg[i][j] = cost of layers [i, j) summed left to right, or +∞ where their memory exceeds the cap. */
  private static double[][] segmentCosts(double[] costs, long[] memory, long memoryCap) {
    int n = costs.length;
    double[][] seg = new double[n + 1][n + 1];
    for (int i = 0; i < n; i++) {
      double sum = 0.0;
      long bytes = 0;
      for (int j = i; j < n; j++) {
        sum += costs[j];
        bytes = saturatingAdd(bytes, memory[j]);
        seg[i][j + 1] = bytes <= memoryCap ? sum : Double.POSITIVE_INFINITY;
      }
    }
    return seg;
  }

  /** best[p][i] = smallest bottleneck splitting layers [i, n) into p stages (+∞ when impossible). */
  private static double[][] suffixOptima(double[][] seg, int n, int stages) {
    double[][] best = new double[stages + 1][n + 1];
    for (double[] row : best) {
      Arrays.fill(row, Double.POSITIVE_INFINITY);
    }
    for (int i = 0; i < n; i++) {
      best[1][i] = seg[i][n];
    }
    for (int p = 2; p <= stages; p++) {
      for (int i = 0; i <= n - p; i++) {
        double min = Double.POSITIVE_INFINITY;
        for (int j = i + 1; j <= n - p + 1; j++) {
          min = Math.min(min, Math.max(seg[i][j], best[p - 1][j]));
        }
        best[p][i] = min;
      }
    }
    return best;
  }

  private static void validate(double[] costs, long[] memory, long memoryCap, int stages) {
    Require.that(costs != null && costs.length > 0, "need the cost of at least one layer");
    Require.that(memory != null && memory.length == costs.length,
        "need one memory figure per layer: " + costs.length + " costs but "
            + (memory == null ? "no" : String.valueOf(memory.length)) + " memory figures");
    Require.that(memoryCap > 0, "memory cap must be > 0 bytes, got " + memoryCap);
    Require.that(stages >= 1, "need at least one stage, got " + stages);
    Require.that(stages <= costs.length,
        "cannot split " + costs.length + " layers into " + stages + " stages: every stage needs a layer");
    for (int l = 0; l < costs.length; l++) {
      Require.that(Double.isFinite(costs[l]) && costs[l] >= 0,
          "cost of layer " + l + " must be finite and >= 0, got " + costs[l]);
      Require.that(memory[l] >= 0, "memory of layer " + l + " must be >= 0, got " + memory[l]);
    }
  }

  private static String infeasibleMessage(long[] memory, long memoryCap, int stages) {
    long largest = 0;
    long total = 0;
    for (long m : memory) {
      largest = Math.max(largest, m);
      total = saturatingAdd(total, m);
    }
    return "no split of " + memory.length + " layers into " + stages + " stages fits the memory cap of "
        + memoryCap + " bytes per stage (largest layer " + largest + " bytes, all layers " + total + " bytes)";
  }

  private static long saturatingAdd(long a, long b) {
    long s = a + b;
    return s < 0 ? Long.MAX_VALUE : s; // both >= 0, so overflow shows as a negative sum
  }
}
