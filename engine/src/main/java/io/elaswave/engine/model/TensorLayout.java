package io.elaswave.engine.model;

import java.util.ArrayList;
import java.util.List;

/** Builds a layer's tensor list with consecutive offsets. */
final class TensorLayout {
  private final List<ParamTensor> tensors = new ArrayList<>();
  private int next;

  /** Adds a tensor and returns its offset. */
  int add(String name, int size, ParamTensor.Init init, boolean decay) {
    int offset = next;
    tensors.add(new ParamTensor(name, offset, size, init, decay));
    next += size;
    return offset;
  }

  List<ParamTensor> build() {
    return List.copyOf(tensors);
  }
}
