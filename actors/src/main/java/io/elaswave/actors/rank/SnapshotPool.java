package io.elaswave.actors.rank;

import io.elaswave.planner.BlockId;
import io.elaswave.planner.RankId;
import io.elaswave.protocol.runtime.StateBlock;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The snapshots this rank keeps for the ranks it is buddy of: each one's owned blocks
 * (parameters and moments) after a step. The last two steps are kept, so the committed step is
 * always there even while the next one's snapshot arrives.
 */
final class SnapshotPool {
  private final Map<RankId, TreeMap<Long, Map<BlockId, StateBlock>>> byRank = new HashMap<>();

  void put(RankId of, long step, Iterable<StateBlock> blocks) {
    TreeMap<Long, Map<BlockId, StateBlock>> steps = byRank.computeIfAbsent(of, r -> new TreeMap<>());
    Map<BlockId, StateBlock> version = steps.computeIfAbsent(step, s -> new HashMap<>());
    blocks.forEach(b -> version.put(new BlockId(b.layer(), b.block()), b));
    steps.headMap(step - 1).clear();
  }

  /** {@code of}'s block after {@code step}, or null if not kept. */
  StateBlock get(RankId of, long step, int layer, int block) {
    TreeMap<Long, Map<BlockId, StateBlock>> steps = byRank.get(of);
    Map<BlockId, StateBlock> version = steps == null ? null : steps.get(step);
    return version == null ? null : version.get(new BlockId(layer, block));
  }

  /** Forgets snapshots of steps after {@code step}: they were never committed. */
  void discardAfter(long step) {
    byRank.values().forEach(steps -> steps.tailMap(step, false).clear());
  }

  /** Floats held, for the overhead report. */
  long floats() {
    long n = 0;
    for (TreeMap<Long, Map<BlockId, StateBlock>> steps : byRank.values()) {
      for (Map<BlockId, StateBlock> version : steps.values()) {
        for (StateBlock b : version.values()) {
          n += b.params().length() + b.m().length() + b.v().length();
        }
      }
    }
    return n;
  }
}
