package io.elaswave.actors.node;

import io.elaswave.planner.frequency.ClockRange;

/** A node whose clock cannot be set: it reports "fixed" and runs at its nominal speed. */
public final class FixedClock implements FrequencyGovernor {
  public static final FixedClock INSTANCE = new FixedClock();

  private FixedClock() {}

  @Override public String kind() {
    return "fixed";
  }

  @Override public ClockRange range() {
    return ClockRange.FIXED;
  }

  @Override public double clock() {
    return 1;
  }

  @Override public double set(double clock) {
    return 1;
  }
}
