package io.elaswave.planner;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Input of the first plan: the ranks (with their nodes), dp × pp, micro-batches per step G, the
 * model profile, and the per-stage memory cap in bytes ({@link StagePartitioner#NO_MEMORY_CAP}
 * for none). Rejected with a message naming the problem if it cannot make a valid layout.
 */
public record PlanRequest(List<RankInfo> ranks, int dp, int pp, int microBatches, ModelProfile model,
    long memoryCap) {
  public PlanRequest {
    Require.that(ranks != null && !ranks.isEmpty(), "need at least one rank");
    Require.that(model != null, "need a model profile");
    ranks = List.copyOf(ranks);
    Require.that(dp >= 1, "dp must be >= 1, got " + dp);
    Require.that(pp >= 1, "pp must be >= 1, got " + pp);
    Set<RankId> seen = new HashSet<>();
    for (RankInfo info : ranks) {
      Require.that(seen.add(info.rank()), "rank " + info.rank() + " is listed twice");
    }
    Require.that((long) dp * pp == ranks.size(),
        "dp x pp = " + dp + " x " + pp + " = " + (long) dp * pp + " does not match the " + ranks.size() + " ranks given");
    Require.that(pp <= model.layerCount(),
        "pp = " + pp + " exceeds the " + model.layerCount() + " layers: every stage needs a layer");
    Require.that(microBatches >= dp,
        microBatches + " micro-batches per step cannot give each of " + dp + " replicas one");
    Require.that(memoryCap > 0, "memory cap must be > 0 bytes, got " + memoryCap);
  }

  /** A request without a memory cap. */
  public static PlanRequest of(List<RankInfo> ranks, int dp, int pp, int microBatches, ModelProfile model) {
    return new PlanRequest(ranks, dp, pp, microBatches, model, StagePartitioner.NO_MEMORY_CAP);
  }
}
