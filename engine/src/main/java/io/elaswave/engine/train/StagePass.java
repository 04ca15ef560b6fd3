package io.elaswave.engine.train;

import io.elaswave.engine.model.Layer;
import io.elaswave.engine.model.MicroBatch;
import io.elaswave.engine.model.Model;
import io.elaswave.engine.model.StepContext;
import java.util.ArrayList;
import java.util.List;

/**
 * Forward and backward of one micro-batch through the contiguous layer range [lo, hi): the work
 * of one pipeline stage. Arrays are indexed by global layer index.
 */
public final class StagePass {
  private StagePass() {}

  /** Runs layers lo..hi−1; returns each layer's forward (the last one's output is the stage's). */
  public static List<Layer.Forward> forward(Model model, float[][] params, int lo, int hi, float[] input,
      MicroBatch batch, StepContext ctx) {
    List<Layer.Forward> saved = new ArrayList<>(hi - lo);
    float[] x = input;
    for (int l = lo; l < hi; l++) {
      Layer.Forward f = model.layer(l).forward(params[l], x, batch, ctx);
      saved.add(f);
      x = f.output();
    }
    return saved;
  }

  /**
   * Backward through layers hi−1..lo; grads[l] (zeroed by the caller for each micro-batch)
   * receives layer l's gradient. Returns the gradient of the stage's input (null at layer 0).
   */
  public static float[] backward(Model model, float[][] params, float[][] grads, int lo, int hi, float[] dOutput,
      MicroBatch batch, List<Layer.Forward> saved) {
    float[] d = dOutput;
    for (int l = hi - 1; l >= lo; l--) {
      d = backwardLayer(model, params, grads, lo, hi, l, d, batch, saved.get(l - lo), l > lo ? saved.get(l - lo - 1)
          : null);
    }
    return d;
  }

  /**
   * Layer l's backward inside the stage [lo, hi), then the arrays only the stage held go back to
   * the model's arena: the output gradient layer l+1's backward made (not at hi−1: it came from
   * outside) and layer l's input, layer l−1's output (not at lo: it came from outside). Neither
   * is read again: no layer's backward reads its own output.
   */
  public static float[] backwardLayer(Model model, float[][] params, float[][] grads, int lo, int hi, int l,
      float[] dOutput, MicroBatch batch, Layer.Forward forward, Layer.Forward previous) {
    float[] d = model.layer(l).backward(params[l], grads[l], dOutput, batch, forward);
    if (l < hi - 1) {
      model.arena().give(dOutput);
    }
    if (l > lo) {
      model.arena().give(previous.output());
    }
    return d;
  }

  /** Gives back what forwards run without a backward took (evaluation, sampling). */
  public static void release(Model model, int lo, List<Layer.Forward> saved) {
    for (int i = 0; i < saved.size(); i++) {
      model.layer(lo + i).release(saved.get(i));
      if (i < saved.size() - 1) {
        model.arena().give(saved.get(i).output());
      }
    }
  }

  /** The head's output gradient: every position's loss is scaled by 1 / tokens in the global batch. */
  public static float[] lossGradient(MicroBatch batch, long tokensPerStep) {
    float[] d = new float[batch.rows()];
    java.util.Arrays.fill(d, (float) (1.0 / tokensPerStep));
    return d;
  }

  /** Σ of per-position losses, in position order, in double. */
  public static double lossSum(float[] losses) {
    double s = 0.0;
    for (float l : losses) {
      s += l;
    }
    return s;
  }
}
