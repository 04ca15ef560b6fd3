package io.elaswave.sim;

import java.util.SplittableRandom;

/**
 * When nodes turn slow (fail-slow: a throttled GPU, a degraded link, a noisy neighbour) and for
 * how long: episodes start per node as a Poisson process of {@code perNodeDay} a day, last an
 * exponential time of mean {@code meanHours}, and run the node's accelerators at {@code speed} of
 * nominal. No published rate is calibrated here: every figure is an assumption, and {@link #NONE}
 * (the default) leaves them out.
 */
public record SlowdownModel(double perNodeDay, double speed, double meanHours) {
  public SlowdownModel {
    if (!(perNodeDay >= 0) || !(speed > 0 && speed <= 1) || !(meanHours > 0)) {
      throw new IllegalArgumentException("slowdowns: rate must be >= 0, speed in (0, 1] and hours > 0, got "
          + perNodeDay + ", " + speed + ", " + meanHours);
    }
  }

  public static final SlowdownModel NONE = new SlowdownModel(0, 1, 1);

  /** Whether any node ever turns slow. */
  public boolean any() {
    return perNodeDay > 0 && speed < 1;
  }

  /** Seconds until the node's next episode starts. */
  public double nextOnset(SplittableRandom rng) {
    return -Math.log(1 - rng.nextDouble()) * 86_400 / perNodeDay;
  }

  /** Seconds an episode lasts. */
  public double duration(SplittableRandom rng) {
    return -Math.log(1 - rng.nextDouble()) * meanHours * 3600;
  }
}
