package io.elaswave.planner;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits layers 0..L−1 into P contiguous non-empty stages minimising the largest stage time
 * (minimax dynamic program, O(P·L²)), optionally under a per-stage memory cap.
 *
 * <p>A stage's cost is the sum of its layers' costs, added left to right in layer order, so a
 * caller summing the same way gets the same bits; its time is that cost divided by the speed of
 * the rank that runs it (stages may run on ranks of different measured speeds). Its memory is
 * its layers' state bytes plus, for each micro-batch it keeps in flight, their activation
 * bytes. Among optimal partitions the one with the lexicographically smallest cut points wins:
 * earlier cuts, so earlier stages get the lighter share when there is a choice; under 1F1B they
 * keep the most micro-batches in flight.
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
   * The minimax partition of equal-speed stages in which no stage's summed {@code memory} (bytes
   * per layer) exceeds {@code memoryCap}; throws {@link InfeasiblePartitionException} if there is none.
   */
  public static StagePartition partition(double[] costs, long[] memory, long memoryCap, int stages) {
    Require.that(stages >= 1, "need at least one stage, got " + stages);
    double[] speeds = new double[stages];
    Arrays.fill(speeds, 1.0);
    return partition(costs, memory, new long[costs == null ? 0 : costs.length], speeds, new int[stages], memoryCap);
  }

  /**
   * The minimax partition over stages of the given speeds ({@code stageSpeeds[s]}, one per stage,
   * > 0): stage s's time is its layers' summed cost / its speed, its memory its layers' summed
   * {@code memory} plus {@code stageInFlight[s]} × their summed {@code activation} bytes, which
   * must not exceed {@code memoryCap}. The bottleneck reported is the largest stage time.
   */
  public static StagePartition partition(double[] costs, long[] memory, long[] activation, double[] stageSpeeds,
      int[] stageInFlight, long memoryCap) {
    Require.that(stageSpeeds != null && stageInFlight != null && stageSpeeds.length == stageInFlight.length,
        "need one speed and one in-flight count per stage");
    int stages = stageSpeeds.length;
    validate(costs, memory, memoryCap, stages);
    Require.that(activation != null && activation.length == costs.length, "need one activation figure per layer");
    for (int st = 0; st < stages; st++) {
      Require.that(Double.isFinite(stageSpeeds[st]) && stageSpeeds[st] > 0,
          "speed of stage " + st + " must be finite and > 0, got " + stageSpeeds[st]);
      Require.that(stageInFlight[st] >= 0, "in-flight count of stage " + st + " must be >= 0");
    }
    int n = costs.length;
    Segments seg = Segments.of(costs, memory, activation);
    StageTime time = (st, i, j) -> seg.time(st, i, j, stageSpeeds, stageInFlight, memoryCap);
    double[][] best = suffixOptima(time, n, stages);
    double bottleneck = best[stages][0];
    if (bottleneck == Double.POSITIVE_INFINITY) {
      throw new InfeasiblePartitionException(infeasibleMessage(memory, activation, stageInFlight, memoryCap, stages));
    }
    List<LayerRange> ranges = new ArrayList<>(stages);
    int from = 0;
    for (int left = stages; left > 1; left--) {
      int st = stages - left;
      int to = from + 1;
      while (!(time.of(st, from, to) <= bottleneck && best[left - 1][to] <= bottleneck)) {
        to++; // terminates: the optimal cut at this point satisfies both
      }
      ranges.add(new LayerRange(from, to));
      from = to;
    }
    ranges.add(new LayerRange(from, n));
    return new StagePartition(ranges, bottleneck);
  }

  /** The time of stage {@code st} holding layers [i, j), +∞ where it does not fit the cap. */
  @FunctionalInterface
  private interface StageTime {
    double of(int st, int i, int j);
  }

  /** Sums over every layer segment [i, j): cost left to right, state and activation bytes saturating. */
  private record Segments(double[][] cost, long[][] state, long[][] activation) {
    static Segments of(double[] costs, long[] memory, long[] act) {
      int n = costs.length;
      double[][] cost = new double[n + 1][n + 1];
      long[][] state = new long[n + 1][n + 1];
      long[][] activation = new long[n + 1][n + 1];
      for (int i = 0; i < n; i++) {
        double sum = 0.0;
        long bytes = 0;
        long a = 0;
        for (int j = i; j < n; j++) {
          sum += costs[j];
          bytes = saturatingAdd(bytes, memory[j]);
          a = saturatingAdd(a, act[j]);
          cost[i][j + 1] = sum;
          state[i][j + 1] = bytes;
          activation[i][j + 1] = a;
        }
      }
      return new Segments(cost, state, activation);
    }

    double time(int st, int i, int j, double[] speeds, int[] inFlight, long cap) {
      long bytes = saturatingAdd(state[i][j], saturatingMultiply(activation[i][j], inFlight[st]));
      return bytes <= cap ? cost[i][j] / speeds[st] : Double.POSITIVE_INFINITY;
    }
  }

  /** best[p][i] = smallest bottleneck running layers [i, n) on the last p stages (+∞ when impossible). */
  private static double[][] suffixOptima(StageTime time, int n, int stages) {
    double[][] best = new double[stages + 1][n + 1];
    for (double[] row : best) {
      Arrays.fill(row, Double.POSITIVE_INFINITY);
    }
    for (int i = 0; i < n; i++) {
      best[1][i] = time.of(stages - 1, i, n);
    }
    for (int p = 2; p <= stages; p++) {
      int st = stages - p;
      for (int i = 0; i <= n - p; i++) {
        double min = Double.POSITIVE_INFINITY;
        for (int j = i + 1; j <= n - p + 1; j++) {
          min = Math.min(min, Math.max(time.of(st, i, j), best[p - 1][j]));
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

  private static String infeasibleMessage(long[] memory, long[] activation, int[] inFlight, long memoryCap,
      int stages) {
    long largest = 0;
    long total = 0;
    long acts = 0;
    for (int l = 0; l < memory.length; l++) {
      largest = Math.max(largest, memory[l]);
      total = saturatingAdd(total, memory[l]);
      acts = saturatingAdd(acts, activation[l]);
    }
    String inFlightNote = acts == 0 ? "" : ", activations " + acts + " bytes per micro-batch in flight, up to "
        + Arrays.stream(inFlight).max().orElse(0) + " in flight";
    return "no split of " + memory.length + " layers into " + stages + " stages fits the memory cap of "
        + memoryCap + " bytes per stage (largest layer " + largest + " bytes, all layers " + total + " bytes"
        + inFlightNote + ")";
  }

  private static long saturatingMultiply(long a, int k) {
    return k == 0 || a <= Long.MAX_VALUE / k ? a * k : Long.MAX_VALUE;
  }

  private static long saturatingAdd(long a, long b) {
    long s = a + b;
    return s < 0 ? Long.MAX_VALUE : s; // both >= 0, so overflow shows as a negative sum
  }
}
