package io.elaswave.sim;

/**
 * What a re-plan costs the simulated recovery: the planner's wall time as it runs (the default;
 * then figures move by milliseconds between runs of one seed), or a fixed figure, which makes the
 * whole result a function of the seed.
 */
public sealed interface PlanTime {
  /** The seconds to charge for a plan that took {@code measuredNanos} here. */
  double seconds(long measuredNanos);

  record Measured() implements PlanTime {
    @Override public double seconds(long measuredNanos) {
      return measuredNanos / 1e9;
    }
  }

  record Fixed(double value) implements PlanTime {
    public Fixed {
      if (!(value >= 0)) {
        throw new IllegalArgumentException("a fixed plan time must be >= 0 s, got " + value);
      }
    }

    @Override public double seconds(long measuredNanos) {
      return value;
    }
  }
}
