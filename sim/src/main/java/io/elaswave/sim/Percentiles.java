package io.elaswave.sim;

import java.util.Arrays;
import java.util.List;

/** Summary of a sample: count, mean, p50, p90, p99 and max (nearest rank); zeros when empty. */
public record Percentiles(int count, double mean, double p50, double p90, double p99, double max) {
  public static Percentiles of(List<Double> values) {
    if (values.isEmpty()) {
      return new Percentiles(0, 0, 0, 0, 0, 0);
    }
    double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return new Percentiles(v.length, Arrays.stream(v).average().orElse(0), rank(v, 0.50), rank(v, 0.90),
        rank(v, 0.99), v[v.length - 1]);
  }

  private static double rank(double[] sorted, double q) {
    int i = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }
}
