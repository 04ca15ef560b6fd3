package io.elaswave.planner.elastic;

import io.elaswave.engine.param.ParamBlocks;
import io.elaswave.planner.Layout;
import io.elaswave.planner.RankId;
import io.elaswave.planner.StageAssignment;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Block owners for new stages, moving as few blocks as possible. A block keeps its owner while
 * that rank still holds the block's layer. Orphans (owner lost, or no longer holding the layer) go
 * to the holder of the layer that owns the fewest of its blocks (then the fewest overall, then the
 * lowest id). Finally each layer is levelled so its holders' counts differ by at most one, moving
 * the highest blocks of the fullest holder to the emptiest: only a join needs that.
 */
public final class OwnerRebalance {
  private OwnerRebalance() {}

  public static List<List<RankId>> rebalance(Layout old, List<StageAssignment> stages, ParamBlocks blocks) {
    int top = 0;
    for (StageAssignment s : stages) {
      top = Math.max(top, s.rank().value());
    }
    // by rank id (dense): a job of 10^5 ranks re-plans in milliseconds, not in map lookups
    int[] load = new int[top + 1]; // blocks owned over all layers so far
    int[] here = new int[top + 1]; // blocks of the current layer
    boolean[] holding = new boolean[top + 1];
    List<List<RankId>> owners = new ArrayList<>();
    List<List<RankId>> holdersByLayer = holders(stages, blocks.layerCount());
    for (int l = 0; l < blocks.layerCount(); l++) {
      List<RankId> holders = holdersByLayer.get(l);
      int[] ids = new int[holders.size()]; // the scans below read ids, not 10^4 scattered RankIds
      for (int i = 0; i < ids.length; i++) {
        ids[i] = holders.get(i).value();
        here[ids[i]] = 0;
        holding[ids[i]] = true;
      }
      RankId[] layer = new RankId[blocks.blocks(l).size()];
      for (int b = 0; b < layer.length; b++) {
        RankId before = old.ownerOfBlock(l, b);
        if (before.value() <= top && holding[before.value()]) {
          layer[b] = before;
          here[before.value()]++;
          load[before.value()]++;
        }
      }
      for (int b = 0; b < layer.length; b++) {
        if (layer[b] == null) {
          RankId to = holders.get(emptiest(ids, here, load));
          layer[b] = to;
          here[to.value()]++;
          load[to.value()]++;
        }
      }
      level(ids, holders, layer, here, load);
      for (int id : ids) {
        holding[id] = false;
      }
      owners.add(List.of(layer));
    }
    return owners;
  }

  private static void level(int[] ids, List<RankId> holders, RankId[] layer, int[] here, int[] load) {
    while (true) {
      RankId full = holders.get(fullest(ids, here));
      RankId empty = holders.get(emptiest(ids, here, load));
      if (here[full.value()] - here[empty.value()] <= 1) {
        return;
      }
      for (int b = layer.length - 1; b >= 0; b--) {
        if (layer[b].equals(full)) {
          layer[b] = empty;
          here[full.value()]--;
          here[empty.value()]++;
          load[full.value()]--;
          load[empty.value()]++;
          break;
        }
      }
    }
  }

  /** The index of the holder owning the most blocks of the layer, the lowest id among equals. */
  private static int fullest(int[] ids, int[] here) {
    int best = 0;
    for (int i = 1; i < ids.length; i++) {
      int c = here[ids[i]] - here[ids[best]];
      if (c > 0 || (c == 0 && ids[i] < ids[best])) {
        best = i;
      }
    }
    return best;
  }

  /** The index of the holder owning the fewest blocks of the layer, then the fewest overall, then the lowest id. */
  private static int emptiest(int[] ids, int[] here, int[] load) {
    int best = 0;
    for (int i = 1; i < ids.length; i++) {
      int c = here[ids[i]] - here[ids[best]];
      if (c == 0) {
        c = load[ids[i]] - load[ids[best]];
      }
      if (c < 0 || (c == 0 && ids[i] < ids[best])) {
        best = i;
      }
    }
    return best;
  }

  /** Each layer's holders in replica order: one pass over the stages. */
  private static List<List<RankId>> holders(List<StageAssignment> stages, int layers) {
    List<List<RankId>> out = new ArrayList<>();
    for (int l = 0; l < layers; l++) {
      out.add(new ArrayList<>());
    }
    stages.stream().sorted(Comparator.comparingInt(StageAssignment::replica)).forEach(s -> {
      for (int l = s.layerFrom(); l < s.layerTo(); l++) {
        out.get(l).add(s.rank());
      }
    });
    return out;
  }
}
