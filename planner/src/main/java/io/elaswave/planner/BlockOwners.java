package io.elaswave.planner;

import io.elaswave.engine.param.ParamBlocks;
import java.util.ArrayList;
import java.util.List;

/**
 * The initial ZeRO-1 block owners. Rule: number every block in canonical (layer, block) order
 * k = 0, 1, …; block k belongs to replica k mod dp, and its owner is the rank holding its layer in
 * that replica. So each replica owns every dp-th block of the model, and when all replicas share
 * one partition, the ranks of one stage (one per replica) own the stage's blocks as evenly as
 * possible: counts differ by at most one, because a stage's blocks are a contiguous run of k.
 * Tying ownership to replicas also means re-partitioning one replica only moves that replica's blocks.
 */
public final class BlockOwners {
  private BlockOwners() {}

  /** owners.get(layer).get(block) for the given stages (any per-replica partitions) and blocks. */
  public static List<List<RankId>> interleaved(List<StageAssignment> stages, ParamBlocks blocks) {
    RankId[][] holders = holders(stages, blocks.layerCount());
    int dp = holders.length == 0 ? 0 : holders[0].length;
    List<List<RankId>> owners = new ArrayList<>(blocks.layerCount());
    long k = 0;
    for (int l = 0; l < blocks.layerCount(); l++) {
      List<RankId> layer = new ArrayList<>();
      for (int b = 0; b < blocks.blocks(l).size(); b++, k++) {
        layer.add(holders[l][(int) (k % dp)]);
      }
      owners.add(List.copyOf(layer));
    }
    return List.copyOf(owners);
  }

  /** holders[layer][replica]: the rank holding each layer in each replica. */
  private static RankId[][] holders(List<StageAssignment> stages, int layers) {
    int dp = stages.stream().mapToInt(StageAssignment::replica).max().orElse(-1) + 1;
    Require.that(dp >= 1, "need at least one stage to own blocks");
    RankId[][] holders = new RankId[layers][dp];
    for (StageAssignment s : stages) {
      Require.that(s.layerTo() <= layers, s.rank() + " holds layers up to " + s.layerTo() + " of " + layers);
      for (int l = s.layerFrom(); l < s.layerTo(); l++) {
        Require.that(holders[l][s.replica()] == null, "layer " + l + " is held twice in replica " + s.replica());
        holders[l][s.replica()] = s.rank();
      }
    }
    for (int l = 0; l < layers; l++) {
      for (int r = 0; r < dp; r++) {
        Require.that(holders[l][r] != null, "layer " + l + " has no holder in replica " + r);
      }
    }
    return holders;
  }
}
