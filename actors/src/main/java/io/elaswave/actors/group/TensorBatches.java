package io.elaswave.actors.group;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;

/** Cuts a list of tensor-carrying items into batches of at most {@code maxFloats} floats each. */
public final class TensorBatches {
  private TensorBatches() {}

  /** Consecutive batches in order; an item larger than the limit travels alone. */
  public static <T> List<List<T>> split(List<T> items, ToIntFunction<T> floats, int maxFloats) {
    List<List<T>> batches = new ArrayList<>();
    List<T> current = new ArrayList<>();
    int size = 0;
    for (T item : items) {
      int n = floats.applyAsInt(item);
      if (!current.isEmpty() && size + n > maxFloats) {
        batches.add(List.copyOf(current));
        current.clear();
        size = 0;
      }
      current.add(item);
      size += n;
    }
    if (!current.isEmpty()) {
      batches.add(List.copyOf(current));
    }
    return batches;
  }
}
