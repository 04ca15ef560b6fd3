package io.elaswave.planner;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits micro-batch ids [0, G) into contiguous ranges in replica order, sized in proportion to
 * replica speeds. Any split gives the same gradient bits (DESIGN.md §6.5), so sizes only balance time.
 *
 * <p>Rule: a replica whose exact quota G·s/S is below one gets one id and leaves the pool (repeat
 * until every remaining quota is at least one); the rest get the floor of their quota over the
 * remaining ids, and the ids left over go one each by largest remainder, ties to the lower replica
 * index. Arithmetic is exact (speeds as exact decimals), so floating-point error never moves an id.
 * With all quotas >= 1 every size is within one of its quota; equal speeds give the first G mod dp
 * replicas one extra id.
 */
public final class MicroBatchAssigner {
  private MicroBatchAssigner() {}

  /** Equal speeds: ids split as evenly as possible, the first G mod dp replicas one larger. */
  public static List<MicroBatchRange> assignEqual(int microBatches, int replicas) {
    Require.that(replicas >= 1, "need at least one replica, got " + replicas);
    double[] speeds = new double[replicas];
    Arrays.fill(speeds, 1.0);
    return assign(microBatches, speeds);
  }

  /** Ranges for replicas 0..speeds.length−1 in order, each non-empty, together exactly [0, G). */
  public static List<MicroBatchRange> assign(int microBatches, double[] speeds) {
    return ranges(sizes(microBatches, speeds));
  }

  /** The number of ids each replica gets. */
  public static int[] sizes(int microBatches, double[] speeds) {
    validate(microBatches, speeds);
    int n = speeds.length;
    BigDecimal[] s = new BigDecimal[n];
    for (int r = 0; r < n; r++) {
      s[r] = new BigDecimal(speeds[r]); // exact binary value of the double
    }
    int[] sizes = new int[n];
    boolean[] fixed = new boolean[n];
    int pool = microBatches;
    boolean changed = true;
    while (changed) { // fix replicas whose quota is below one id; the quotas of the rest then shrink
      BigDecimal total = sumUnfixed(s, fixed);
      BigDecimal ids = BigDecimal.valueOf(pool);
      changed = false;
      for (int r = 0; r < n; r++) {
        if (!fixed[r] && s[r].multiply(ids).compareTo(total) < 0) { // G·s/S < 1, with this pass's G and S
          fixed[r] = true;
          sizes[r] = 1;
          pool--;
          changed = true;
        }
      }
    }
    apportion(sizes, fixed, s, pool);
    return sizes;
  }

  /**
   * The best any split can do: min over sizes n_r >= 1 summing to G of max_r n_r / v_r (time in
   * units of one micro-batch at speed 1), by trying every split; for bounds and tests, small G
   * and few replicas only.
   */
  public static double bestSplitTime(int microBatches, double[] speeds) {
    validate(microBatches, speeds);
    Require.that(speeds.length <= 8 && microBatches <= 64, "bestSplitTime tries every split: at most 8 replicas"
        + " and 64 micro-batches");
    return best(microBatches, speeds, 0, new int[speeds.length]);
  }

  private static double best(int left, double[] v, int r, int[] n) {
    if (r == v.length - 1) {
      n[r] = left;
      double t = 0;
      for (int i = 0; i < v.length; i++) {
        t = Math.max(t, n[i] / v[i]);
      }
      return t;
    }
    double min = Double.POSITIVE_INFINITY;
    for (int k = 1; k <= left - (v.length - r - 1); k++) {
      n[r] = k;
      min = Math.min(min, best(left - k, v, r + 1, n));
    }
    return min;
  }

  /** Largest-remainder apportionment of {@code pool} ids over the replicas not yet fixed. */
  private static void apportion(int[] sizes, boolean[] fixed, BigDecimal[] s, int pool) {
    BigDecimal total = sumUnfixed(s, fixed);
    if (total.signum() == 0) {
      return; // every replica was fixed at one id, and then pool is 0
    }
    int n = sizes.length;
    BigDecimal[] remainder = new BigDecimal[n]; // quota − floor, scaled by total
    int left = pool;
    for (int r = 0; r < n; r++) {
      if (!fixed[r]) {
        BigDecimal scaled = s[r].multiply(BigDecimal.valueOf(pool));
        BigInteger floor = scaled.divideToIntegralValue(total).toBigIntegerExact();
        sizes[r] = floor.intValueExact();
        remainder[r] = scaled.subtract(total.multiply(new BigDecimal(floor)));
        left -= sizes[r];
      }
    }
    // the `left` largest remainders take one id more, ties to the lower index: one sort, not a scan per id
    List<Integer> order = new ArrayList<>();
    for (int r = 0; r < n; r++) {
      if (!fixed[r]) {
        order.add(r);
      }
    }
    order.sort((a, b) -> {
      int c = remainder[b].compareTo(remainder[a]);
      return c != 0 ? c : Integer.compare(a, b);
    });
    for (int i = 0; i < left; i++) { // left < replicas in the apportionment: remainders are each below one
      sizes[order.get(i)]++;
    }
  }

  private static BigDecimal sumUnfixed(BigDecimal[] s, boolean[] fixed) {
    BigDecimal total = BigDecimal.ZERO;
    for (int r = 0; r < s.length; r++) {
      if (!fixed[r]) {
        total = total.add(s[r]);
      }
    }
    return total;
  }

  private static List<MicroBatchRange> ranges(int[] sizes) {
    List<MicroBatchRange> out = new ArrayList<>(sizes.length);
    int from = 0;
    for (int size : sizes) {
      out.add(new MicroBatchRange(from, from + size));
      from += size;
    }
    return List.copyOf(out);
  }

  private static void validate(int microBatches, double[] speeds) {
    Require.that(speeds != null && speeds.length >= 1, "need the speed of at least one replica");
    Require.that(microBatches >= speeds.length, "cannot give each of " + speeds.length
        + " replicas a micro-batch: only " + microBatches + " micro-batches per step");
    for (int r = 0; r < speeds.length; r++) {
      Require.that(Double.isFinite(speeds[r]) && speeds[r] > 0,
          "speed of replica " + r + " must be finite and > 0, got " + speeds[r]);
    }
  }
}
