package io.elaswave.engine.kernel;

/** Softmax cross-entropy over a vocabulary, per row. */
public final class CrossEntropy {
  private CrossEntropy() {}

  /**
   * probs[R,V] = softmax(logits[R,V]); losses[R] = −log probs[r, targets[r]] (via log-sum-exp
   * in double with StrictMath, so the value is reproducible everywhere). probs may alias logits.
   */
  public static void forward(float[] losses, float[] probs, float[] logits, int[] targets, int rows, int v) {
    for (int r = 0; r < rows; r++) {
      int base = r * v;
      float max = Float.NEGATIVE_INFINITY;
      for (int j = 0; j < v; j++) {
        max = Math.max(max, logits[base + j]);
      }
      float target = logits[base + targets[r]]; // read before probs may overwrite logits
      float sum = 0f;
      for (int j = 0; j < v; j++) {
        float e = FloatMath.exp(logits[base + j] - max);
        probs[base + j] = e;
        sum += e;
      }
      float inv = 1f / sum;
      for (int j = 0; j < v; j++) {
        probs[base + j] *= inv;
      }
      losses[r] = (float) (StrictMath.log(sum) + max - target);
    }
  }

  /** dLogits[R,V] = (probs − onehot(target)) · dLoss[r] (overwritten). */
  public static void backward(float[] dLogits, float[] dLosses, float[] probs, int[] targets, int rows, int v) {
    for (int r = 0; r < rows; r++) {
      int base = r * v;
      float d = dLosses[r];
      for (int j = 0; j < v; j++) {
        float indicator = j == targets[r] ? 1f : 0f;
        dLogits[base + j] = (probs[base + j] - indicator) * d;
      }
    }
  }
}
