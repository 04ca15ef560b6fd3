package io.elaswave.sim;

import java.util.SplittableRandom;

/**
 * When nodes fail and come back. Each node's time to failure is Weibull with {@code shape} (1:
 * exponential, memoryless) and a mean of {@code 1 / failuresPerNodeDay} days; a failed node is
 * repaired (it rejoins as a new node) after an exponential time of mean {@code repairHours}.
 * {@link #LLAMA3} calibrates the rate to Llama 3's 419 unexpected interruptions in 54 days on
 * 16 384 GPUs (2 048 nodes of 8): 419 / (54 × 2 048) ≈ 0.0038 failures per node-day, every one
 * taken as the loss of a whole node; the repair time is an assumption.
 */
public record FailureModel(double failuresPerNodeDay, double shape, double repairHours) {
  public FailureModel {
    if (!(failuresPerNodeDay > 0) || !(shape > 0) || !(repairHours > 0)) {
      throw new IllegalArgumentException("failure rate, Weibull shape and repair hours must be > 0");
    }
  }

  public static final FailureModel LLAMA3 = new FailureModel(419.0 / (54 * 2048), 1.0, 4.0);

  /** Seconds until the next failure of a node that is up now. */
  public double nextFailure(SplittableRandom rng) {
    double meanSeconds = 86_400 / failuresPerNodeDay;
    // Weibull of shape k and scale λ has mean λ Γ(1 + 1/k)
    double scale = meanSeconds / gamma(1 + 1 / shape);
    return scale * Math.pow(-Math.log(1 - rng.nextDouble()), 1 / shape);
  }

  /** Seconds until a failed node is back. */
  public double repair(SplittableRandom rng) {
    return -Math.log(1 - rng.nextDouble()) * repairHours * 3600;
  }

  /** Γ(x) for x in (1, 3] by the Lanczos approximation (g = 7), to 1e-13. */
  static double gamma(double x) {
    double[] c = {0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
        -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
        1.5056327351493116e-7};
    double z = x - 1;
    double a = c[0];
    double t = z + 7.5;
    for (int i = 1; i < 9; i++) {
      a += c[i] / (z + i);
    }
    return Math.sqrt(2 * Math.PI) * Math.pow(t, z + 0.5) * Math.exp(-t) * a;
  }
}
