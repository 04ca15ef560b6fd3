package io.elaswave.protocol.chunk;

import io.elaswave.protocol.EpochStamped;
import io.elaswave.protocol.KryoMessage;
import java.util.Arrays;
import java.util.Objects;

/**
 * One piece of a float tensor in transit: floats {@code [offset, offset + data.length)} of a
 * tensor of {@code totalLength} floats, the {@code index}-th of {@code count} pieces of operation
 * {@code opId}. The constructor checks the ranges, so a deserialized chunk with impossible fields
 * fails to exist rather than reaching an assembler.
 *
 * @param opId the transfer this chunk belongs to (unique per sender and epoch)
 * @param epoch the plan epoch the transfer was started under
 * @param index 0 ≤ index &lt; count
 * @param count how many chunks the tensor was cut into, ≥ 1
 * @param offset where {@code data} starts in the tensor
 * @param totalLength the tensor's length in floats
 * @param data the floats; [≤ totalLength − offset]
 */
public record TensorChunk(long opId, long epoch, int index, int count, int offset, int totalLength, float[] data)
    implements KryoMessage, EpochStamped {

  public TensorChunk {
    Objects.requireNonNull(data, "data");
    if (count < 1 || index < 0 || index >= count) {
      throw new IllegalArgumentException("chunk index " + index + " of " + count);
    }
    if (offset < 0 || totalLength < 0 || offset > totalLength - data.length) {
      throw new IllegalArgumentException(
          "chunk floats [" + offset + ", " + offset + " + " + data.length + ") outside [0, " + totalLength + ")");
    }
  }

  // Records compare arrays by reference; a chunk is equal when its floats are.
  @Override
  public boolean equals(Object o) {
    return o instanceof TensorChunk c && opId == c.opId && epoch == c.epoch && index == c.index
        && count == c.count && offset == c.offset && totalLength == c.totalLength && Arrays.equals(data, c.data);
  }

  @Override
  public int hashCode() {
    return Objects.hash(opId, epoch, index, count, offset, totalLength) * 31 + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "TensorChunk[op " + opId + ", epoch " + epoch + ", " + index + "/" + count + ", floats " + offset
        + ".." + (offset + data.length) + " of " + totalLength + "]";
  }
}
