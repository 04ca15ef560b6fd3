package io.elaswave.planner;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A layout's stages by rank and holders by layer, built once per layout ({@link IdentityCache}). */
final class LayoutIndex {
  private static final IdentityCache<Layout, LayoutIndex> CACHE =
      new IdentityCache<>(l -> new LayoutIndex(l.stages(), l.layerCount()));

  private final Map<RankId, StageAssignment> stageByRank;
  private final List<List<RankId>> holdersByLayer;

  private LayoutIndex(List<StageAssignment> stages, int layers) {
    stageByRank = new HashMap<>(stages.size() * 2);
    List<List<RankId>> holders = new java.util.ArrayList<>();
    for (int l = 0; l < layers; l++) {
      holders.add(new java.util.ArrayList<>());
    }
    for (StageAssignment s : stages) { // in pipeline order: each layer's holders by replica
      stageByRank.putIfAbsent(s.rank(), s);
      for (int l = Math.max(0, s.layerFrom()); l < Math.min(layers, s.layerTo()); l++) {
        holders.get(l).add(s.rank());
      }
    }
    holdersByLayer = holders.stream().map(List::copyOf).toList();
  }

  static LayoutIndex of(Layout layout) {
    return CACHE.get(layout);
  }

  /** The ranks holding {@code layer}, by replica. */
  List<RankId> holdersOf(int layer) {
    return holdersByLayer.get(layer);
  }

  /** The stage {@code rank} runs, or null. */
  StageAssignment stageOf(RankId rank) {
    return stageByRank.get(rank);
  }
}
