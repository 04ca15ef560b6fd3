package io.elaswave.persistence;

import io.elaswave.protocol.runtime.BlockDigest;
import java.util.Comparator;

/**
 * The digest of one canonical block's parameters after a committed step. The ledger keeps its
 * own record, apart from the wire's {@link BlockDigest}, so that the stored format does not move
 * when the protocol does.
 */
public record BlockDigestEntry(int layer, int block, long digest) {
  /** (layer, block) order: the canonical order of DESIGN.md §6.6, used for what the ledger stores. */
  public static final Comparator<BlockDigestEntry> CANONICAL_ORDER =
      Comparator.comparingInt(BlockDigestEntry::layer).thenComparingInt(BlockDigestEntry::block);

  public BlockDigestEntry {
    if (layer < 0 || block < 0) {
      throw new IllegalArgumentException("block digest of layer " + layer + ", block " + block + ": both must be >= 0");
    }
  }

  public static BlockDigestEntry of(BlockDigest d) {
    return new BlockDigestEntry(d.layer(), d.block(), d.digest());
  }

  public BlockDigest toBlockDigest() {
    return new BlockDigest(layer, block, digest);
  }
}
