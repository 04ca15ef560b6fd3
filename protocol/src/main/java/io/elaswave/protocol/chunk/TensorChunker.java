package io.elaswave.protocol.chunk;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Cuts a float array into {@link TensorChunk}s of at most {@code maxFloats} floats each, every
 * chunk but the last exactly that long. An empty array still yields one (empty) chunk, so the
 * receiver learns that the transfer finished. Chunks are made on demand, each with its own copy
 * of its floats; the source array must not change while chunks are still being made.
 */
public final class TensorChunker {
  /** Bytes of a frame kept free for Artery's envelope header and the chunk's other fields. */
  public static final int FRAME_RESERVE_BYTES = 1024;

  private final long opId;
  private final long epoch;
  private final float[] source;
  private final int maxFloats;
  private final int count;

  /**
   * @param source the tensor; [n]
   * @param maxFloats the largest chunk, ≥ 1
   */
  public TensorChunker(long opId, long epoch, float[] source, int maxFloats) {
    if (maxFloats < 1) {
      throw new IllegalArgumentException("maxFloats must be >= 1, got " + maxFloats);
    }
    this.opId = opId;
    this.epoch = epoch;
    this.source = Objects.requireNonNull(source, "source");
    this.maxFloats = maxFloats;
    this.count = Math.max(1, (int) ((source.length + (long) maxFloats - 1) / maxFloats));
  }

  /** All chunks of {@code source}, in index order. */
  public static List<TensorChunk> split(long opId, long epoch, float[] source, int maxFloats) {
    return new TensorChunker(opId, epoch, source, maxFloats).chunks();
  }

  /** The most floats per chunk that still fit a frame of {@code frameBytes} (e.g. Artery's large frame). */
  public static int maxFloatsForFrame(int frameBytes) {
    if (frameBytes <= FRAME_RESERVE_BYTES + Float.BYTES) {
      throw new IllegalArgumentException("frame of " + frameBytes + " bytes leaves no room for floats");
    }
    return (frameBytes - FRAME_RESERVE_BYTES) / Float.BYTES;
  }

  public int chunkCount() {
    return count;
  }

  public TensorChunk chunk(int index) {
    Objects.checkIndex(index, count);
    int from = index * maxFloats;
    int to = Math.min(source.length, from + maxFloats);
    return new TensorChunk(opId, epoch, index, count, from, source.length, Arrays.copyOfRange(source, from, to));
  }

  public List<TensorChunk> chunks() {
    List<TensorChunk> chunks = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      chunks.add(chunk(i));
    }
    return chunks;
  }
}
