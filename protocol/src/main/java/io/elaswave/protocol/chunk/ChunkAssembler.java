package io.elaswave.protocol.chunk;

import io.elaswave.protocol.chunk.ChunkRejectedException.Reason;
import java.util.Arrays;

/**
 * Puts the chunks of one transfer ({@code opId} under {@code epoch}) back together, in whatever
 * order they arrive. The first chunk fixes the chunk count and total length; every later chunk
 * must agree, and neighbouring chunks must meet exactly (chunk i ends where chunk i + 1 begins,
 * chunk 0 starts at 0, the last ends at the total), so a complete tensor is covered once, with no
 * gap and no overlap. Anything else raises {@link ChunkRejectedException} and changes nothing.
 *
 * <p>Not thread-safe: meant to live inside one actor.
 */
public final class ChunkAssembler {
  private final long opId;
  private final long epoch;
  private float[] result; // [totalLength], allocated by the first chunk
  private int[] starts; // [count] offset of each received chunk
  private int[] ends; // [count] offset + length of each received chunk; -1 until received
  private int received;

  public ChunkAssembler(long opId, long epoch) {
    this.opId = opId;
    this.epoch = epoch;
  }

  /**
   * Takes one chunk.
   *
   * @return true if this chunk completed the tensor
   * @throws ChunkRejectedException if the chunk does not belong here; the assembler is unchanged
   */
  public boolean accept(TensorChunk chunk) {
    checkIdentity(chunk);
    checkFits(chunk);
    if (result == null) {
      start(chunk);
    }
    int i = chunk.index();
    System.arraycopy(chunk.data(), 0, result, chunk.offset(), chunk.data().length);
    starts[i] = chunk.offset();
    ends[i] = chunk.offset() + chunk.data().length;
    received++;
    return isComplete();
  }

  public boolean isComplete() {
    return result != null && received == ends.length;
  }

  /** Chunks taken so far. */
  public int received() {
    return received;
  }

  /** The assembled tensor; [totalLength]. */
  public float[] result() {
    if (!isComplete()) {
      throw new IllegalStateException("op " + opId + ": " + received + " of "
          + (ends == null ? "?" : ends.length) + " chunks received");
    }
    return result;
  }

  private void checkIdentity(TensorChunk c) {
    if (c.opId() != opId) {
      throw new ChunkRejectedException(Reason.WRONG_OPERATION, c + " sent to the assembler of op " + opId);
    }
    if (c.epoch() < epoch) {
      throw new ChunkRejectedException(Reason.STALE_EPOCH, c + " is older than epoch " + epoch);
    }
    if (c.epoch() > epoch) {
      throw new ChunkRejectedException(Reason.NEWER_EPOCH, c + " is newer than epoch " + epoch);
    }
  }

  private void start(TensorChunk c) {
    result = new float[c.totalLength()];
    starts = new int[c.count()];
    ends = new int[c.count()];
    Arrays.fill(ends, -1);
  }

  /** Checks {@code c} against the chunks seen so far (or, for the first, against itself). */
  private void checkFits(TensorChunk c) {
    boolean first = result == null;
    int count = first ? c.count() : ends.length;
    int total = first ? c.totalLength() : result.length;
    int i = c.index();
    int end = c.offset() + c.data().length;
    if (c.count() != count || c.totalLength() != total) {
      throw inconsistent(c, "earlier chunks said " + count + " chunks of a " + total + "-float tensor");
    }
    if (!first && ends[i] >= 0) {
      throw new ChunkRejectedException(Reason.DUPLICATE, c + " has already arrived");
    }
    int last = count - 1;
    if (i == 0 && c.offset() != 0) {
      throw inconsistent(c, "the first chunk must start at 0");
    }
    if (i == last && end != total) {
      throw inconsistent(c, "the last chunk must end at " + total);
    }
    if (first) {
      return;
    }
    if (i > 0 && ends[i - 1] >= 0 && ends[i - 1] != c.offset()) {
      throw inconsistent(c, "chunk " + (i - 1) + " ends at " + ends[i - 1]);
    }
    if (i < last && ends[i + 1] >= 0 && starts[i + 1] != end) {
      throw inconsistent(c, "chunk " + (i + 1) + " starts at " + starts[i + 1]);
    }
  }

  private static ChunkRejectedException inconsistent(TensorChunk c, String why) {
    return new ChunkRejectedException(Reason.INCONSISTENT, c + ": " + why);
  }
}
