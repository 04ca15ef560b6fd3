package io.elaswave.actors.rank;

import java.util.Map;

/**
 * A rank's committed state, captured just before it applies a step's update: the parameters of
 * its layers and the moments of its owned blocks. If the step is abandoned, the rank restores it,
 * so nothing of an uncommitted step stays visible (the update is two-phase).
 */
record RollbackPoint(long step, float[][] params, Map<io.elaswave.engine.param.BlockRef, float[][]> moments) {

  static RollbackPoint capture(long step, float[][] params, OwnedShard shard) {
    float[][] copy = new float[params.length][];
    for (int l = 0; l < params.length; l++) {
      copy[l] = params[l] == null ? null : params[l].clone();
    }
    return new RollbackPoint(step, copy, shard.copyMoments());
  }

  void restore(float[][] target, OwnedShard shard) {
    for (int l = 0; l < target.length; l++) {
      if (params[l] != null) {
        System.arraycopy(params[l], 0, target[l], 0, params[l].length);
      }
    }
    shard.restoreMoments(moments);
  }
}
