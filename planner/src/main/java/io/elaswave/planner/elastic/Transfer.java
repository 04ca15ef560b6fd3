package io.elaswave.planner.elastic;

import io.elaswave.planner.RankId;

/**
 * One block's state moving between two ranks for a new layout: its parameters (a rank newly
 * holds the layer) or its AdamW moments (the block has a new owner), from the sender's live state
 * or from the snapshot it keeps for a lost rank ({@code ofRank}).
 */
public record Transfer(RankId from, RankId to, int layer, int block, Kind kind, RankId ofRank) {
  /** What moves. */
  public enum Kind { PARAMS, MOMENTS }

  /** True when the sender serves a snapshot it keeps for {@code ofRank} rather than its own state. */
  public boolean fromSnapshot() {
    return !ofRank.equals(from);
  }
}
