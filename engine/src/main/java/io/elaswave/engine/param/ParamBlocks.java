package io.elaswave.engine.param;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The canonical block map of a model: layer sizes cut into blocks of {@code blockSize}. */
public final class ParamBlocks {
  private final int blockSize;
  private final int[] layerSizes;
  private final List<List<BlockRef>> byLayer;

  public ParamBlocks(int blockSize, int[] layerSizes) {
    if (blockSize <= 0) {
      throw new IllegalArgumentException("blockSize must be > 0");
    }
    this.blockSize = blockSize;
    this.layerSizes = layerSizes.clone();
    List<List<BlockRef>> layers = new ArrayList<>();
    for (int l = 0; l < layerSizes.length; l++) {
      List<BlockRef> blocks = new ArrayList<>();
      for (int b = 0, from = 0; from < layerSizes[l]; b++, from += blockSize) {
        blocks.add(new BlockRef(l, b, from, Math.min(from + blockSize, layerSizes[l])));
      }
      layers.add(Collections.unmodifiableList(blocks));
    }
    this.byLayer = Collections.unmodifiableList(layers);
  }

  public int blockSize() {
    return blockSize;
  }

  public int layerCount() {
    return layerSizes.length;
  }

  public int layerSize(int layer) {
    return layerSizes[layer];
  }

  /** The blocks of one layer in order. */
  public List<BlockRef> blocks(int layer) {
    return byLayer.get(layer);
  }

  /** Every block in canonical (layer, block) order. */
  public List<BlockRef> all() {
    List<BlockRef> all = new ArrayList<>();
    byLayer.forEach(all::addAll);
    return all;
  }
}
