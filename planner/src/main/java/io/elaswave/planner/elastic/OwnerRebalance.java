package io.elaswave.planner.elastic;

import io.elaswave.engine.param.ParamBlocks;
import io.elaswave.planner.Layout;
import io.elaswave.planner.RankId;
import io.elaswave.planner.StageAssignment;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
    Map<RankId, Integer> load = new HashMap<>();
    List<List<RankId>> owners = new ArrayList<>();
    for (int l = 0; l < blocks.layerCount(); l++) {
      List<RankId> holders = holders(stages, l);
      holders.forEach(h -> load.putIfAbsent(h, 0));
      RankId[] layer = new RankId[blocks.blocks(l).size()];
      for (int b = 0; b < layer.length; b++) {
        RankId before = old.ownerOfBlock(l, b);
        if (holders.contains(before)) {
          layer[b] = before;
          load.merge(before, 1, Integer::sum);
        }
      }
      for (int b = 0; b < layer.length; b++) {
        if (layer[b] == null) {
          RankId to = emptiest(holders, layer, load);
          layer[b] = to;
          load.merge(to, 1, Integer::sum);
        }
      }
      level(holders, layer, load);
      owners.add(List.of(layer));
    }
    return owners;
  }

  private static void level(List<RankId> holders, RankId[] layer, Map<RankId, Integer> load) {
    while (true) {
      RankId full = holders.stream().max(Comparator.comparingInt((RankId h) -> count(layer, h))
          .thenComparing(Comparator.reverseOrder())).orElseThrow();
      RankId empty = emptiest(holders, layer, load);
      if (count(layer, full) - count(layer, empty) <= 1) {
        return;
      }
      for (int b = layer.length - 1; b >= 0; b--) {
        if (layer[b].equals(full)) {
          layer[b] = empty;
          load.merge(full, -1, Integer::sum);
          load.merge(empty, 1, Integer::sum);
          break;
        }
      }
    }
  }

  private static RankId emptiest(List<RankId> holders, RankId[] layer, Map<RankId, Integer> load) {
    return holders.stream().min(Comparator.comparingInt((RankId h) -> count(layer, h))
        .thenComparingInt(load::get).thenComparing(Comparator.naturalOrder())).orElseThrow();
  }

  private static int count(RankId[] layer, RankId rank) {
    int n = 0;
    for (RankId r : layer) {
      if (rank.equals(r)) {
        n++;
      }
    }
    return n;
  }

  private static List<RankId> holders(List<StageAssignment> stages, int layer) {
    return stages.stream().filter(s -> s.holds(layer))
        .sorted(Comparator.comparingInt(StageAssignment::replica)).map(StageAssignment::rank).toList();
  }
}
