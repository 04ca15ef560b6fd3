package io.elaswave.engine.model;

import java.util.List;

/** Token plus position embedding: x[b,t,:] = wte[token[b,t],:] + wpe[t,:]. */
public final class EmbeddingLayer implements Layer {
  private final ModelConfig config;
  private final Arena arena;
  private final List<ParamTensor> tensors;
  private final int wte;
  private final int wpe;

  public EmbeddingLayer(ModelConfig config, Arena arena) {
    this.config = config;
    this.arena = arena;
    TensorLayout layout = new TensorLayout();
    wte = layout.add("wte", config.vocab() * config.dim(), ParamTensor.Init.normal(0.02f), false);
    wpe = layout.add("wpe", config.seqLen() * config.dim(), ParamTensor.Init.normal(0.01f), false);
    tensors = layout.build();
  }

  @Override public int index() {
    return 0;
  }

  @Override public String kind() {
    return "embedding";
  }

  @Override public List<ParamTensor> tensors() {
    return tensors;
  }

  @Override public int inputWidth() {
    return 0;
  }

  @Override public int outputWidth() {
    return config.dim();
  }

  @Override public Forward forward(float[] params, float[] input, MicroBatch batch, StepContext ctx) {
    int d = config.dim();
    int seq = batch.seqLen();
    float[] out = arena.floats(batch.rows() * d); // [B,T,d], every element written
    for (int r = 0; r < batch.rows(); r++) {
      int tok = wte + batch.tokens()[r] * d;
      int pos = wpe + (r % seq) * d;
      for (int i = 0; i < d; i++) {
        out[r * d + i] = params[tok + i] + params[pos + i];
      }
    }
    return new Forward(out, null);
  }

  @Override public float[] backward(float[] params, float[] dParams, float[] dOutput, MicroBatch batch,
      Forward saved) {
    int d = config.dim();
    int seq = batch.seqLen();
    for (int r = 0; r < batch.rows(); r++) {
      int tok = wte + batch.tokens()[r] * d;
      int pos = wpe + (r % seq) * d;
      for (int i = 0; i < d; i++) {
        dParams[tok + i] += dOutput[r * d + i];
        dParams[pos + i] += dOutput[r * d + i];
      }
    }
    return null;
  }
}
