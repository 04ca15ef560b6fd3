package io.elaswave.planner;

import java.util.ArrayList;
import java.util.List;

/** A rank and the node it runs on: planners need the node to know which ranks fail together. */
public record RankInfo(RankId rank, NodeId node) {
  public RankInfo {
    Require.that(rank != null, "rank must not be null");
    Require.that(node != null, "node of " + rank + " must not be null");
  }

  public static RankInfo of(int rank, String node) {
    return new RankInfo(RankId.of(rank), NodeId.of(node));
  }

  /** Ranks 0..count−1, {@code perNode} to a node, on nodes named {@code prefix0, prefix1, …}. */
  public static List<RankInfo> packed(int count, int perNode, String prefix) {
    Require.that(count >= 1 && perNode >= 1, "need count >= 1 and perNode >= 1");
    List<RankInfo> ranks = new ArrayList<>(count);
    for (int r = 0; r < count; r++) {
      ranks.add(of(r, prefix + (r / perNode)));
    }
    return List.copyOf(ranks);
  }
}
