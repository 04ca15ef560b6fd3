package io.elaswave.engine.model;

import io.elaswave.engine.kernel.Attention;
import io.elaswave.engine.kernel.Dropout;
import io.elaswave.engine.kernel.Gelu;
import io.elaswave.engine.kernel.LayerNorm;
import io.elaswave.engine.kernel.Linear;
import java.util.List;

/**
 * A pre-norm transformer block:
 * x2 = x + drop(proj(attn(ln1(x)))); y = x2 + drop(fcproj(gelu(fc(ln2(x2))))).
 */
public final class BlockLayer implements Layer {
  private static final int ATTN_DROPOUT_SITE = 0;
  private static final int MLP_DROPOUT_SITE = 1;

  private final ModelConfig config;
  private final Arena arena;
  private final int index;
  private final List<ParamTensor> tensors;
  private final int ln1W;
  private final int ln1B;
  private final int wQkv;
  private final int bQkv;
  private final int wProj;
  private final int bProj;
  private final int ln2W;
  private final int ln2B;
  private final int wFc;
  private final int bFc;
  private final int wFcProj;
  private final int bFcProj;

  /** Block {@code block} (0-based) is layer {@code block + 1}; its arrays come from {@code arena}. */
  public BlockLayer(ModelConfig config, int block, Arena arena) {
    this.config = config;
    this.arena = arena;
    this.index = block + 1;
    int d = config.dim();
    float std = 0.02f;
    float residualStd = (float) (0.02 / Math.sqrt(2.0 * config.blocks()));
    TensorLayout t = new TensorLayout();
    ln1W = t.add("ln1.w", d, ParamTensor.Init.ones(), false);
    ln1B = t.add("ln1.b", d, ParamTensor.Init.zeros(), false);
    wQkv = t.add("attn.qkv.w", d * 3 * d, ParamTensor.Init.normal(std), true);
    bQkv = t.add("attn.qkv.b", 3 * d, ParamTensor.Init.zeros(), false);
    wProj = t.add("attn.proj.w", d * d, ParamTensor.Init.normal(residualStd), true);
    bProj = t.add("attn.proj.b", d, ParamTensor.Init.zeros(), false);
    ln2W = t.add("ln2.w", d, ParamTensor.Init.ones(), false);
    ln2B = t.add("ln2.b", d, ParamTensor.Init.zeros(), false);
    wFc = t.add("mlp.fc.w", d * 4 * d, ParamTensor.Init.normal(std), true);
    bFc = t.add("mlp.fc.b", 4 * d, ParamTensor.Init.zeros(), false);
    wFcProj = t.add("mlp.proj.w", 4 * d * d, ParamTensor.Init.normal(residualStd), true);
    bFcProj = t.add("mlp.proj.b", d, ParamTensor.Init.zeros(), false);
    tensors = t.build();
  }

  /** Everything backward needs, shapes per micro-batch of R = B*T rows. */
  private record Saved(
      float dropout, // the rate the forward used (0 outside training)
      float[] x, // [R,d]
      float[] ln1, float[] mean1, float[] rstd1, // [R,d], [R], [R]
      float[] qkv, // [R,3d]
      float[] att, // [B,H,T,T]
      float[] attY, // [R,d]
      boolean[] keep1, // [R*d]
      float[] x2, // [R,d]
      float[] ln2, float[] mean2, float[] rstd2, // [R,d], [R], [R]
      float[] fc, // [R,4d]
      float[] gelu, // [R,4d]
      boolean[] keep2) {} // [R*d]

  @Override public int index() {
    return index;
  }

  @Override public String kind() {
    return "block";
  }

  @Override public List<ParamTensor> tensors() {
    return tensors;
  }

  @Override public int inputWidth() {
    return config.dim();
  }

  @Override public int outputWidth() {
    return config.dim();
  }

  @Override public Forward forward(float[] params, float[] x, MicroBatch batch, StepContext ctx) {
    int rows = batch.rows();
    int d = config.dim();
    int seq = batch.seqLen();
    float p = ctx.training() ? config.dropout() : 0f;
    Arena a = arena;

    float[] ln1 = a.floats(rows * d);
    float[] mean1 = a.floats(rows);
    float[] rstd1 = a.floats(rows);
    LayerNorm.forward(ln1, mean1, rstd1, x, params, ln1W, ln1B, rows, d);
    float[] qkv = a.floats(rows * 3 * d);
    Linear.forward(qkv, ln1, params, wQkv, bQkv, rows, d, 3 * d);
    float[] att = a.floats(batch.batchSize() * config.heads() * seq * seq);
    float[] attY = a.floats(rows * d);
    float[] scratch = a.floats(seq * seq);
    Attention.forward(attY, att, qkv, batch.batchSize(), seq, d, config.heads(), scratch);
    float[] proj = a.floats(rows * d);
    Linear.forward(proj, attY, params, wProj, bProj, rows, d, d);
    boolean[] keep1 = Dropout.forward(proj, proj, p, key(ctx, batch, ATTN_DROPOUT_SITE), batch.batchSize(), seq * d,
        a.flags(rows * d));
    float[] x2 = a.floats(rows * d);
    for (int i = 0; i < x2.length; i++) {
      x2[i] = x[i] + proj[i];
    }

    float[] ln2 = a.floats(rows * d);
    float[] mean2 = a.floats(rows);
    float[] rstd2 = a.floats(rows);
    LayerNorm.forward(ln2, mean2, rstd2, x2, params, ln2W, ln2B, rows, d);
    float[] fc = a.floats(rows * 4 * d);
    Linear.forward(fc, ln2, params, wFc, bFc, rows, d, 4 * d);
    float[] gelu = a.floats(rows * 4 * d);
    Gelu.forward(gelu, fc, gelu.length);
    float[] mlp = proj; // proj is spent: x2 holds it
    Linear.forward(mlp, gelu, params, wFcProj, bFcProj, rows, 4 * d, d);
    boolean[] keep2 = Dropout.forward(mlp, mlp, p, key(ctx, batch, MLP_DROPOUT_SITE), batch.batchSize(), seq * d,
        a.flags(rows * d));
    float[] y = a.floats(rows * d);
    for (int i = 0; i < y.length; i++) {
      y[i] = x2[i] + mlp[i];
    }
    a.give(mlp, scratch);
    return new Forward(y, new Saved(p, x, ln1, mean1, rstd1, qkv, att, attY, keep1, x2, ln2, mean2, rstd2, fc, gelu,
        keep2));
  }

  @Override public float[] backward(float[] params, float[] dParams, float[] dy, MicroBatch batch,
      Forward forward) {
    Saved s = (Saved) forward.saved();
    int rows = batch.rows();
    int d = config.dim();
    int seq = batch.seqLen();
    float p = s.dropout();
    Arena a = arena;

    // MLP branch: y = x2 + drop(fcproj(gelu(fc(ln2(x2)))))
    float[] dMlp = a.floats(rows * d);
    Dropout.backward(dMlp, dy, s.keep2(), p);
    float[] dGelu = a.floats(rows * 4 * d);
    Linear.backward(dGelu, dParams, dMlp, s.gelu(), params, wFcProj, bFcProj, rows, 4 * d, d);
    float[] dFc = s.gelu(); // gelu's values are spent once fcproj's weight gradient is in
    Gelu.backward(dFc, dGelu, s.fc(), dFc.length);
    float[] dLn2 = dMlp;
    Linear.backward(dLn2, dParams, dFc, s.ln2(), params, wFc, bFc, rows, d, 4 * d);
    float[] dX2 = a.floats(rows * d);
    LayerNorm.backward(dX2, dParams, dLn2, s.x2(), s.mean2(), s.rstd2(), params, ln2W, ln2B, rows, d);
    for (int i = 0; i < dX2.length; i++) {
      dX2[i] = dy[i] + dX2[i];
    }

    // attention branch: x2 = x + drop(proj(attn(ln1(x))))
    float[] dProj = dLn2;
    Dropout.backward(dProj, dX2, s.keep1(), p);
    float[] dAttY = s.ln2();
    Linear.backward(dAttY, dParams, dProj, s.attY(), params, wProj, bProj, rows, d, d);
    float[] dQkv = a.floats(rows * 3 * d);
    float[] scratch = a.floats(2 * seq * seq);
    Attention.backward(dQkv, dAttY, s.qkv(), s.att(), batch.batchSize(), seq, d, config.heads(), scratch);
    float[] dLn1 = dProj;
    Linear.backward(dLn1, dParams, dQkv, s.ln1(), params, wQkv, bQkv, rows, d, 3 * d);
    float[] dx = a.floats(rows * d);
    LayerNorm.backward(dx, dParams, dLn1, s.x(), s.mean1(), s.rstd1(), params, ln1W, ln1B, rows, d);
    for (int i = 0; i < dx.length; i++) {
      dx[i] = dX2[i] + dx[i];
    }
    a.give(dMlp, dGelu, dX2, dQkv, scratch);
    release(s);
    return dx;
  }

  @Override public void release(Forward forward) {
    if (forward.saved() instanceof Saved s) {
      release(s);
    }
  }

  /** Everything the forward took but x (the previous layer's output, not this layer's to give). */
  private void release(Saved s) {
    arena.give(s.ln1(), s.mean1(), s.rstd1(), s.qkv(), s.att(), s.attY(), s.x2(), s.ln2(), s.mean2(), s.rstd2(),
        s.fc(), s.gelu());
    arena.give(s.keep1());
    arena.give(s.keep2());
  }

  private Dropout.Key key(StepContext ctx, MicroBatch batch, int site) {
    return new Dropout.Key(ctx.seed(), ctx.step(), batch.firstSample(), index, site);
  }
}
