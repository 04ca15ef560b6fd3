package io.elaswave.planner;

/**
 * Micro-batch ids [from, to) run by one replica. Ranges are contiguous so that the replica can send
 * the sums of the reduction-tree nodes inside its range (DESIGN.md §6.5).
 */
public record MicroBatchRange(int from, int to) {
  public MicroBatchRange {
    Require.that(from >= 0 && from < to, "micro-batch range [" + from + ", " + to + ") must be non-empty, from 0 up");
  }

  public int size() {
    return to - from;
  }

  public boolean contains(int id) {
    return from <= id && id < to;
  }

  @Override public String toString() {
    return "[" + from + "," + to + ")";
  }
}
