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
      d = model.layer(l).backward(params[l], grads[l], d, batch, saved.get(l - lo));
    }
    return d;
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
