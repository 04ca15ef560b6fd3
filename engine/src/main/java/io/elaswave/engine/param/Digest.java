package io.elaswave.engine.param;

import java.util.List;

/**
 * 64-bit digests of parameter bits: FNV-1a over each float's raw bits per block, and a model
 * digest that folds block digests in canonical (layer, block) order. Equal digests mean equal
 * bits with overwhelming likelihood; any flipped bit changes the block's digest.
 */
public final class Digest {
  private static final long OFFSET = 0xcbf29ce484222325L;
  private static final long PRIME = 0x100000001b3L;

  private Digest() {}

  /** Digest of values[from, to). */
  public static long ofRange(float[] values, int from, int to) {
    long h = OFFSET;
    for (int i = from; i < to; i++) {
      h = (h ^ (Float.floatToRawIntBits(values[i]) & 0xffffffffL)) * PRIME;
    }
    return h;
  }

  /** Folds block digests given in canonical order into one. */
  public static long combine(long[] blockDigests) {
    long h = OFFSET;
    for (long d : blockDigests) {
      h = (h ^ d) * PRIME;
      h ^= h >>> 29;
    }
    return h;
  }

  /** The model digest of per-layer parameter vectors. */
  public static long ofModel(ParamBlocks blocks, float[][] params) {
    List<BlockRef> all = blocks.all();
    long[] digests = new long[all.size()];
    for (int i = 0; i < digests.length; i++) {
      BlockRef b = all.get(i);
      digests[i] = ofRange(params[b.layer()], b.from(), b.to());
    }
    return combine(digests);
  }

  public static String hex(long digest) {
    return String.format("%016x", digest);
  }
}
