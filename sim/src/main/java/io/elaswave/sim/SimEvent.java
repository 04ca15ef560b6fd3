package io.elaswave.sim;

import io.elaswave.planner.Layout;

/** What happens in a simulated job, and when: the queue of {@link Simulation} orders them by time, then by arrival. */
sealed interface SimEvent {
  record Fails(int node) implements SimEvent {}

  record Repaired(int node) implements SimEvent {}

  /** A background migration of layout epoch {@code from} is ready to switch. */
  record Migrated(long from, Layout target) implements SimEvent {}

  record DayEnds(int day) implements SimEvent {}

  /** Node {@code node} turns slow; its {@code episode}-th episode ends with {@link SlowEnds}. */
  record SlowStarts(int node) implements SimEvent {}

  record SlowEnds(int node, int episode) implements SimEvent {}

  /** The speed measurements have turned since a change of speed: the job judges a re-plan. */
  record SpeedCheck() implements SimEvent {}

  /** An event at simulated second {@code at}, the {@code seq}-th scheduled. */
  record At(double at, long seq, SimEvent kind) implements Comparable<At> {
    @Override public int compareTo(At o) {
      int t = Double.compare(at, o.at);
      return t != 0 ? t : Long.compare(seq, o.seq);
    }
  }
}
