package io.elaswave.planner.frequency;

import io.elaswave.planner.Require;
import java.util.Locale;

/**
 * The clocks a node's governor can set, as fractions of its nominal speed (1 = the speed it was
 * given: its budget on an emulated accelerator, its base clock on real hardware). {@code max}
 * above 1 is a boost clock. A node without a governor has {@link #FIXED}.
 */
public record ClockRange(double min, double max) {
  /** A node whose clock cannot be set. */
  public static final ClockRange FIXED = new ClockRange(1, 1);

  public ClockRange {
    Require.that(Double.isFinite(min) && Double.isFinite(max) && min > 0 && min <= 1 && max >= 1,
        "a clock range needs 0 < min <= 1 <= max, got [" + min + ", " + max + "]");
  }

  public boolean fixed() {
    return min == 1 && max == 1;
  }

  /** {@code clock} moved into the range. */
  public double clamp(double clock) {
    return Math.max(min, Math.min(max, clock));
  }

  @Override public String toString() {
    return fixed() ? "fixed" : String.format(Locale.ROOT, "[%.2f, %.2f]", min, max);
  }
}
