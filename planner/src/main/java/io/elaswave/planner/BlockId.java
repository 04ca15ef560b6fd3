package io.elaswave.planner;

/** Canonical block {@code block} of layer {@code layer}; ordered as blocks are combined, (layer, block). */
public record BlockId(int layer, int block) implements Comparable<BlockId> {
  public BlockId {
    Require.that(layer >= 0 && block >= 0, "block id needs layer >= 0 and block >= 0, got " + layer + "/" + block);
  }

  @Override public int compareTo(BlockId o) {
    return layer != o.layer ? Integer.compare(layer, o.layer) : Integer.compare(block, o.block);
  }

  @Override public String toString() {
    return "L" + layer + "b" + block;
  }
}
