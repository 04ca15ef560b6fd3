package io.elaswave.engine.model;

import io.elaswave.engine.rng.CounterRng;
import io.elaswave.engine.rng.Purpose;
import java.util.ArrayList;
import java.util.List;

/** The model as its list of layers, in pipeline order: embedding, blocks, head. */
public final class Model {
  private final ModelConfig config;
  private final List<Layer> layers;
  private final Arena arena = new Arena();

  public Model(ModelConfig config) {
    this.config = config;
    List<Layer> list = new ArrayList<>();
    list.add(new EmbeddingLayer(config, arena));
    for (int b = 0; b < config.blocks(); b++) {
      list.add(new BlockLayer(config, b, arena));
    }
    list.add(new HeadLayer(config, arena));
    this.layers = List.copyOf(list);
  }

  /** The pool every layer of this model takes its arrays from (one thread at a time). */
  public Arena arena() {
    return arena;
  }

  public ModelConfig config() {
    return config;
  }

  public List<Layer> layers() {
    return layers;
  }

  public Layer layer(int index) {
    return layers.get(index);
  }

  public int layerCount() {
    return layers.size();
  }

  public HeadLayer head() {
    return (HeadLayer) layers.get(layers.size() - 1);
  }

  public long paramCount() {
    long n = 0;
    for (Layer l : layers) {
      n += l.paramCount();
    }
    return n;
  }

  /** Fresh parameters for one layer: a pure function of (seed, layer, element). */
  public float[] initParams(int layerIndex, long seed) {
    Layer layer = layers.get(layerIndex);
    float[] params = new float[layer.paramCount()];
    for (ParamTensor t : layer.tensors()) {
      ParamTensor.Init init = t.init();
      for (int e = t.offset(); e < t.end(); e++) {
        params[e] = init.normalStd() == 0f
            ? init.constant()
            : (float) (init.normalStd() * CounterRng.normal(seed, Purpose.INIT, 0, 0, layerIndex, e));
      }
    }
    return params;
  }

  /** Fresh parameters for every layer. */
  public float[][] initParams(long seed) {
    float[][] params = new float[layers.size()][];
    for (int i = 0; i < params.length; i++) {
      params[i] = initParams(i, seed);
    }
    return params;
  }
}
