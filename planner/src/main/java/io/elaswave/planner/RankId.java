package io.elaswave.planner;

/** A worker rank, numbered from 0. Ids are never reused within a job, so a rank that joins is new. */
public record RankId(int value) implements Comparable<RankId> {
  public RankId {
    Require.that(value >= 0, "rank id must be >= 0, got " + value);
  }

  public static RankId of(int value) {
    return new RankId(value);
  }

  @Override public int compareTo(RankId o) {
    return Integer.compare(value, o.value);
  }

  @Override public String toString() {
    return "r" + value;
  }
}
