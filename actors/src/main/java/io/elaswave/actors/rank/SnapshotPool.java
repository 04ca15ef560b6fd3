package io.elaswave.actors.rank;

import io.elaswave.planner.BlockId;
import io.elaswave.planner.RankId;
import io.elaswave.protocol.runtime.StateBlock;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The snapshots this rank keeps for the ranks it is buddy of: each one's owned blocks
 * (parameters and moments) after a step, each with its checksum. The last two steps are kept,
 * so the committed step is always there even while the next one's snapshot arrives. A block
 * whose bits no longer match its checksum is never handed out.
 */
final class SnapshotPool {
  private record Kept(StateBlock block, long checksum) {}

  private final Map<RankId, TreeMap<Long, Map<BlockId, Kept>>> byRank = new HashMap<>();

  /** Keeps blocks as they arrived in full; their checksums are taken here. */
  void put(RankId of, long step, Iterable<StateBlock> blocks) {
    Map<BlockId, Kept> version = version(of, step);
    blocks.forEach(b -> version.put(new BlockId(b.layer(), b.block()), new Kept(b, SnapshotReplay.checksum(b))));
  }

  /** Keeps a replayed block whose checksum was just found equal to the owner's. */
  void putChecked(RankId of, long step, StateBlock b, long checksum) {
    version(of, step).put(new BlockId(b.layer(), b.block()), new Kept(b, checksum));
  }

  private Map<BlockId, Kept> version(RankId of, long step) {
    TreeMap<Long, Map<BlockId, Kept>> steps = byRank.computeIfAbsent(of, r -> new TreeMap<>());
    Map<BlockId, Kept> version = steps.computeIfAbsent(step, s -> new HashMap<>());
    steps.headMap(step - 1).clear();
    return version;
  }

  /** {@code of}'s block after {@code step}, or null if not kept (or damaged since: then refused). */
  StateBlock get(RankId of, long step, int layer, int block) {
    TreeMap<Long, Map<BlockId, Kept>> steps = byRank.get(of);
    Map<BlockId, Kept> version = steps == null ? null : steps.get(step);
    Kept kept = version == null ? null : version.get(new BlockId(layer, block));
    if (kept == null || SnapshotReplay.checksum(kept.block()) != kept.checksum()) {
      return null;
    }
    return kept.block();
  }

  /** As {@link #get} without the checksum: the base a replay starts from (its result is checked instead). */
  StateBlock base(RankId of, long step, int layer, int block) {
    TreeMap<Long, Map<BlockId, Kept>> steps = byRank.get(of);
    Map<BlockId, Kept> version = steps == null ? null : steps.get(step);
    Kept kept = version == null ? null : version.get(new BlockId(layer, block));
    return kept == null ? null : kept.block();
  }

  /** Forgets snapshots of steps after {@code step}: they were never committed. */
  void discardAfter(long step) {
    byRank.values().forEach(steps -> steps.tailMap(step, false).clear());
  }

  void clear() {
    byRank.clear();
  }

  /** Floats held, for the overhead report. */
  long floats() {
    long n = 0;
    for (TreeMap<Long, Map<BlockId, Kept>> steps : byRank.values()) {
      for (Map<BlockId, Kept> version : steps.values()) {
        for (Kept k : version.values()) {
          n += k.block().params().length() + k.block().m().length() + k.block().v().length();
        }
      }
    }
    return n;
  }
}
