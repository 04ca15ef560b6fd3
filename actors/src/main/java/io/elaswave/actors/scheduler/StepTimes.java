package io.elaswave.actors.scheduler;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/**
 * Recent committed step times and the deadline they give the next step: factor × the median of
 * the last {@link #WINDOW} steps, never below the floor; before {@link #WARM} steps have been
 * measured (JIT warm-up, first snapshots) the first-steps allowance applies. Pure.
 */
final class StepTimes {
  static final int WINDOW = 16;
  static final int WARM = 3;

  /** How the deadline follows the measured step time. */
  record Policy(double factor, Duration floor, Duration firstSteps) {
    Policy {
      if (!(factor >= 1) || floor.isNegative() || floor.isZero() || firstSteps.isNegative() || firstSteps.isZero()) {
        throw new IllegalArgumentException("step-deadline: factor must be >= 1 and floor, first-steps > 0");
      }
    }
  }

  private final Deque<Long> recent = new ArrayDeque<>();

  void add(long millis) {
    recent.addLast(millis);
    while (recent.size() > WINDOW) {
      recent.removeFirst();
    }
  }

  long medianMillis() {
    long[] sorted = recent.stream().mapToLong(Long::longValue).sorted().toArray();
    return sorted.length == 0 ? 0 : sorted[sorted.length / 2];
  }

  Duration deadline(Policy p) {
    if (recent.size() < WARM) {
      return p.firstSteps();
    }
    long scaled = (long) Math.ceil(p.factor() * medianMillis());
    return Duration.ofMillis(Math.max(p.floor().toMillis(), scaled));
  }

  @Override public String toString() {
    return "StepTimes" + Arrays.toString(recent.toArray());
  }
}
