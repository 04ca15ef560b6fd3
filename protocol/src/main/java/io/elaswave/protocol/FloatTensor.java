package io.elaswave.protocol;

import java.util.Arrays;
import java.util.Objects;

/**
 * A flat float payload (a block, a shard, an activation) carried inside messages. Its serializer
 * copies the floats in bulk, little-endian, keeping every bit (NaN payloads included), so a
 * tensor arrives bitwise identical to the one sent.
 *
 * <p>The array is shared, not copied: a sender must not mutate it after sending, because local
 * delivery hands the same array to the receiver.
 *
 * @param values the elements; [length]
 */
public record FloatTensor(float[] values) {

  public FloatTensor {
    Objects.requireNonNull(values, "values");
  }

  public static FloatTensor of(float... values) {
    return new FloatTensor(values);
  }

  public int length() {
    return values.length;
  }

  // Records compare arrays by reference; a payload is equal when its elements are.
  @Override
  public boolean equals(Object o) {
    return o instanceof FloatTensor t && Arrays.equals(values, t.values);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return "FloatTensor[" + values.length + " floats]";
  }
}
