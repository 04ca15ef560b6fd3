package io.elaswave.actors.rank;

import io.elaswave.planner.BlockId;
import io.elaswave.planner.RankId;
import io.elaswave.protocol.runtime.BlockValues;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reduced gradients from owners, held until the same step's AdamW scalars arrive and the copy
 * is replayed (a buddy's snapshot, a migration's shadow). Only the newest step is worth keeping.
 */
final class GradientStash {
  private final Map<RankId, TreeMap<Long, Map<BlockId, float[]>>> byOwner = new HashMap<>();

  void put(RankId owner, long step, List<BlockValues> grads) {
    TreeMap<Long, Map<BlockId, float[]>> steps = byOwner.computeIfAbsent(owner, r -> new TreeMap<>());
    steps.headMap(step).clear(); // an older step's gradients are stale once a newer one's arrive
    Map<BlockId, float[]> at = steps.computeIfAbsent(step, x -> new HashMap<>());
    grads.forEach(v -> at.put(new BlockId(v.layer(), v.block()), v.values().values()));
  }

  /** The gradients of {@code owner}'s step (empty if none came), forgetting them and any older. */
  Map<BlockId, float[]> take(RankId owner, long step) {
    TreeMap<Long, Map<BlockId, float[]>> steps = byOwner.getOrDefault(owner, new TreeMap<>());
    Map<BlockId, float[]> grads = steps.remove(step);
    steps.headMap(step).clear();
    return grads == null ? Map.of() : grads;
  }

  void clear() {
    byOwner.clear();
  }
}
