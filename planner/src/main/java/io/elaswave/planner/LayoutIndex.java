package io.elaswave.planner;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A layout's stages by rank and holders by layer, built once per layout ({@link IdentityCache}).
 * Stages are found by rank id in a dense array where the ids are dense (they are: ids count up
 * from 0 and are never reused), else in a hash map: at 10^5 ranks a hash lookup's cache misses
 * made {@code stageOf} a sixth of a re-plan.
 */
final class LayoutIndex {
  private static final IdentityCache<Layout, LayoutIndex> CACHE =
      new IdentityCache<>(l -> new LayoutIndex(l.stages(), l.layerCount()));

  private final StageAssignment[] stageById; // by RankId.value(), or null when the ids are sparse
  private final Map<RankId, StageAssignment> stageByRank; // when they are
  private final List<List<RankId>> holdersByLayer;
  private final int[] replicaStart; // replica r's stages are stages[replicaStart[r], replicaStart[r + 1])

  private LayoutIndex(List<StageAssignment> stages, int layers) {
    int maxId = -1;
    for (StageAssignment s : stages) {
      maxId = Math.max(maxId, s.rank().value());
    }
    boolean dense = maxId < 4L * stages.size() + 1024;
    stageById = dense ? new StageAssignment[maxId + 1] : null;
    stageByRank = dense ? null : new HashMap<>(stages.size() * 2);
    List<List<RankId>> holders = new java.util.ArrayList<>();
    for (int l = 0; l < layers; l++) {
      holders.add(new java.util.ArrayList<>());
    }
    for (StageAssignment s : stages) { // in pipeline order: each layer's holders by replica
      if (dense) {
        int id = s.rank().value();
        stageById[id] = stageById[id] == null ? s : stageById[id];
      } else {
        stageByRank.putIfAbsent(s.rank(), s);
      }
      for (int l = Math.max(0, s.layerFrom()); l < Math.min(layers, s.layerTo()); l++) {
        holders.get(l).add(s.rank());
      }
    }
    holdersByLayer = holders.stream().map(List::copyOf).toList();
    int replicas = stages.isEmpty() ? 0 : stages.get(stages.size() - 1).replica() + 1; // pipeline order
    replicaStart = new int[replicas + 1];
    int at = 0;
    for (int r = 0; r <= replicas; r++) {
      while (at < stages.size() && stages.get(at).replica() < r) {
        at++;
      }
      replicaStart[r] = at;
    }
  }

  static LayoutIndex of(Layout layout) {
    return CACHE.get(layout);
  }

  /** The ranks holding {@code layer}, by replica. */
  List<RankId> holdersOf(int layer) {
    return holdersByLayer.get(layer);
  }

  /** Where replica {@code r}'s stages begin in the layout's stage list; r = dp gives the end. */
  int replicaStart(int r) {
    return replicaStart[r];
  }

  /** The stage {@code rank} runs, or null. */
  StageAssignment stageOf(RankId rank) {
    if (stageById == null) {
      return stageByRank.get(rank);
    }
    int id = rank.value();
    return id < stageById.length ? stageById[id] : null;
  }
}
