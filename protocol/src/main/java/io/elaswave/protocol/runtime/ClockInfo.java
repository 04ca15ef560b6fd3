package io.elaswave.protocol.runtime;

import io.elaswave.planner.frequency.ClockRange;

/**
 * A node's clock as its heartbeat reports it: which governor sets it ({@code cgroup}: the
 * emulated accelerator's CPU budget; {@code cpufreq}: Linux's CPU frequency limits;
 * {@code fixed}: none), the range it can set as fractions of the nominal speed, and the clock now.
 */
public record ClockInfo(String governor, double min, double max, double clock) {
  /** A node whose clock cannot be set. */
  public static final ClockInfo FIXED = new ClockInfo("fixed", 1, 1, 1);

  public ClockRange range() {
    return new ClockRange(min, max);
  }
}
