package io.elaswave.planner;

/** Rank {@code rank} runs stage {@code stage} of replica {@code replica}: layers [layerFrom, layerTo). */
public record StageAssignment(RankId rank, int replica, int stage, int layerFrom, int layerTo) {
  public StageAssignment {
    Require.that(rank != null, "stage assignment needs a rank");
    Require.that(replica >= 0, "replica must be >= 0, got " + replica + " for " + rank);
    Require.that(stage >= 0, "stage must be >= 0, got " + stage + " for " + rank);
    Require.that(layerFrom >= 0 && layerFrom < layerTo,
        "layers [" + layerFrom + ", " + layerTo + ") of " + rank + " must be a non-empty range from 0 up");
  }

  public boolean holds(int layer) {
    return layerFrom <= layer && layer < layerTo;
  }

  public int layerCount() {
    return layerTo - layerFrom;
  }
}
