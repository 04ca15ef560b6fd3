package io.elaswave.engine.param;

/** Block {@code block} of layer {@code layer}: elements [from, to) of that layer's vector. */
public record BlockRef(int layer, int block, int from, int to) {
  public int size() {
    return to - from;
  }
}
