package io.elaswave.planner;

/** Layers [from, to) of one pipeline stage. */
public record LayerRange(int from, int to) {
  public LayerRange {
    Require.that(from >= 0 && from < to, "layer range [" + from + ", " + to + ") must be non-empty, from 0 up");
  }

  public int size() {
    return to - from;
  }

  @Override public String toString() {
    return "[" + from + "," + to + ")";
  }
}
