package io.elaswave.engine.model;

import io.elaswave.engine.kernel.CrossEntropy;
import io.elaswave.engine.kernel.LayerNorm;
import io.elaswave.engine.kernel.Linear;
import java.util.List;

/** Final layer norm, LM head (untied, no bias) and cross-entropy: outputs each position's loss. */
public final class HeadLayer implements Layer {
  private final ModelConfig config;
  private final Arena arena;
  private final int index;
  private final List<ParamTensor> tensors;
  private final int lnW;
  private final int lnB;
  private final int wLm;

  public HeadLayer(ModelConfig config, Arena arena) {
    this.config = config;
    this.arena = arena;
    this.index = config.layerCount() - 1;
    TensorLayout layout = new TensorLayout();
    lnW = layout.add("lnf.w", config.dim(), ParamTensor.Init.ones(), false);
    lnB = layout.add("lnf.b", config.dim(), ParamTensor.Init.zeros(), false);
    wLm = layout.add("lm.w", config.dim() * config.vocab(), ParamTensor.Init.normal(0.02f), true);
    tensors = layout.build();
  }

  private record Saved(float[] x, float[] ln, float[] mean, float[] rstd, float[] probs) {}

  @Override public int index() {
    return index;
  }

  @Override public String kind() {
    return "head";
  }

  @Override public List<ParamTensor> tensors() {
    return tensors;
  }

  @Override public int inputWidth() {
    return config.dim();
  }

  @Override public int outputWidth() {
    return 1;
  }

  @Override public Forward forward(float[] params, float[] x, MicroBatch batch, StepContext ctx) {
    int rows = batch.rows();
    int d = config.dim();
    int v = config.vocab();
    float[] ln = arena.floats(rows * d);
    float[] mean = arena.floats(rows);
    float[] rstd = arena.floats(rows);
    LayerNorm.forward(ln, mean, rstd, x, params, lnW, lnB, rows, d);
    float[] logits = arena.floats(rows * v);
    Linear.forward(logits, ln, params, wLm, Linear.NO_BIAS, rows, d, v);
    float[] losses = arena.floats(rows); // leaves the model (never given back), but counted as held
    CrossEntropy.forward(losses, logits, logits, batch.targets(), rows, v); // probs overwrite logits
    return new Forward(losses, new Saved(x, ln, mean, rstd, logits));
  }

  /** Logits of the last position of each sequence, for sampling (no loss, no saved state). */
  public float[] lastLogits(float[] params, float[] x, int rows, int seqLen) {
    int d = config.dim();
    int v = config.vocab();
    float[] ln = new float[rows * d];
    LayerNorm.forward(ln, new float[rows], new float[rows], x, params, lnW, lnB, rows, d);
    float[] logits = new float[rows * v];
    Linear.forward(logits, ln, params, wLm, Linear.NO_BIAS, rows, d, v);
    float[] last = new float[v];
    System.arraycopy(logits, (seqLen - 1) * v, last, 0, v);
    return last;
  }

  @Override public float[] backward(float[] params, float[] dParams, float[] dLosses, MicroBatch batch,
      Forward forward) {
    Saved s = (Saved) forward.saved();
    int rows = batch.rows();
    int d = config.dim();
    int v = config.vocab();
    float[] dLogits = s.probs(); // each probability is read once, where its gradient is written
    CrossEntropy.backward(dLogits, dLosses, s.probs(), batch.targets(), rows, v);
    float[] dLn = arena.floats(rows * d);
    Linear.backward(dLn, dParams, dLogits, s.ln(), params, wLm, Linear.NO_BIAS, rows, d, v);
    float[] dx = arena.floats(rows * d);
    LayerNorm.backward(dx, dParams, dLn, s.x(), s.mean(), s.rstd(), params, lnW, lnB, rows, d);
    arena.give(dLn);
    release(s);
    return dx;
  }

  @Override public void release(Forward forward) {
    if (forward.saved() instanceof Saved s) {
      release(s);
    }
  }

  /** The forward's arrays but x (not this layer's) and the losses (the caller's output). */
  private void release(Saved s) {
    arena.give(s.ln(), s.mean(), s.rstd(), s.probs());
  }
}
