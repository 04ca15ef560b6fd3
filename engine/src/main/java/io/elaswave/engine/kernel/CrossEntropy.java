package io.elaswave.engine.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Softmax cross-entropy over a vocabulary, per row: max, exp and the normalisation on vectors,
 * the sum one scalar chain in column order, so the bits are those of {@link #forwardScalar}.
 */
public final class CrossEntropy {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

  private CrossEntropy() {}

  /**
   * probs[R,V] = softmax(logits[R,V]); losses[R] = −log probs[r, targets[r]] (via log-sum-exp
   * in double with StrictMath, so the value is reproducible everywhere). probs may alias logits.
   */
  public static void forward(float[] losses, float[] probs, float[] logits, int[] targets, int rows, int v) {
    int full = v - v % S.length();
    for (int r = 0; r < rows; r++) {
      int base = r * v;
      FloatVector mx = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
      for (int j = 0; j < full; j += S.length()) { // max is exact in any order
        mx = mx.max(FloatVector.fromArray(S, logits, base + j));
      }
      float max = mx.reduceLanes(VectorOperators.MAX);
      for (int j = full; j < v; j++) {
        max = Math.max(max, logits[base + j]);
      }
      float target = logits[base + targets[r]]; // read before probs may overwrite logits
      FloatMath.expScaledShifted(logits, base, 1f, max, probs, base, v); // x · 1 is x: exp(x − max)
      float sum = 0f;
      for (int j = 0; j < v; j++) {
        sum += probs[base + j];
      }
      float inv = 1f / sum;
      for (int j = 0; j < full; j += S.length()) {
        FloatVector.fromArray(S, probs, base + j).mul(inv).intoArray(probs, base + j);
      }
      for (int j = full; j < v; j++) {
        probs[base + j] *= inv;
      }
      losses[r] = (float) (StrictMath.log(sum) + max - target);
    }
  }

  /** The scalar twin of {@link #forward}. */
  public static void forwardScalar(float[] losses, float[] probs, float[] logits, int[] targets, int rows, int v) {
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
