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
      holders.forEach(h -> {
        here[h.value()] = 0;
        holding[h.value()] = true;
      });
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
          RankId to = emptiest(holders, here, load);
          layer[b] = to;
          here[to.value()]++;
          load[to.value()]++;
        }
      }
      level(holders, layer, here, load);
      holders.forEach(h -> holding[h.value()] = false);
      owners.add(List.of(layer));
    }
    return owners;
  }

  private static void level(List<RankId> holders, RankId[] layer, int[] here, int[] load) {
    while (true) {
      RankId full = fullest(holders, here);
      RankId empty = emptiest(holders, here, load);
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

  /** The holder owning the most blocks of the layer, the lowest id among equals. */
  private static RankId fullest(List<RankId> holders, int[] here) {
    RankId best = holders.get(0);
    for (RankId h : holders) {
      int c = here[h.value()] - here[best.value()];
      if (c > 0 || (c == 0 && h.value() < best.value())) {
        best = h;
      }
    }
    return best;
  }

  /** The holder owning the fewest blocks of the layer, then the fewest overall, then the lowest id. */
  private static RankId emptiest(List<RankId> holders, int[] here, int[] load) {
    RankId best = holders.get(0);
    for (RankId h : holders) {
      int c = here[h.value()] - here[best.value()];
      if (c == 0) {
        c = load[h.value()] - load[best.value()];
      }
      if (c < 0 || (c == 0 && h.value() < best.value())) {
        best = h;
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
