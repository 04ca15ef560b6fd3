package io.elaswave.engine.optim;

/**
 * A view of part of a layer's vector: {@code values[i - origin]} holds element i. A whole layer
 * is {@code new Slice(vector, 0)}; a block shard starting at element 4096 is {@code new
 * Slice(shard, 4096)}.
 */
public record Slice(float[] values, int origin) {
  public static Slice whole(float[] values) {
    return new Slice(values, 0);
  }
}
