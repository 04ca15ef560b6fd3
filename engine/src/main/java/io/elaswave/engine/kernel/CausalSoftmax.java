package io.elaswave.engine.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Attention's causal softmax over [T, T] score rows, forward and backward, with lanes across a
 * row's columns. What is per element (the scaling, exp, the normalisation, the gradient) runs on
 * vectors; the two sums stay one scalar chain in column order, so the bits are those of the
 * scalar twins {@link #forwardScalar} and {@link #backwardScalar}. The row's max is exact in any
 * order (max neither rounds nor depends on order, NaN and ±0 included), so it is a vector too.
 */
public final class CausalSoftmax {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();

  private CausalSoftmax() {}

  /** att[off + t·T + t2] = softmax over t2 ≤ t of pre[t·T + t2] · scale; zero above the diagonal. */
  public static void forward(float[] att, int off, float[] pre, float scale, int seq) {
    for (int t = 0; t < seq; t++) {
      int row = t * seq;
      int n = t + 1; // columns 0..t
      int full = n - n % L;
      FloatVector mx = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
      for (int i = 0; i < full; i += L) {
        mx = mx.max(FloatVector.fromArray(S, pre, row + i).mul(scale));
      }
      float max = mx.reduceLanes(VectorOperators.MAX);
      for (int i = full; i < n; i++) {
        max = Math.max(max, pre[row + i] * scale);
      }
      FloatMath.expScaledShifted(pre, row, scale, max, att, off + row, n);
      float sum = 0f;
      for (int i = 0; i < n; i++) {
        sum += att[off + row + i];
      }
      float inv = 1f / sum;
      for (int i = 0; i < full; i += L) {
        FloatVector.fromArray(S, att, off + row + i).mul(inv).intoArray(att, off + row + i);
      }
      for (int i = full; i < n; i++) {
        att[off + row + i] = att[off + row + i] * inv;
      }
      java.util.Arrays.fill(att, off + row + n, off + row + seq, 0f);
    }
  }

  /**
   * dPre[dOff + t·T + t2] = att[t,t2] (dAtt[t,t2] − Σ_{t3≤t} att[t,t3] dAtt[t,t3]) · scale for
   * t2 ≤ t, zero above the diagonal.
   */
  public static void backward(float[] dPre, int dOff, float[] att, int off, float[] dAtt, float scale, int seq) {
    for (int t = 0; t < seq; t++) {
      int row = t * seq;
      int n = t + 1;
      float dot = 0f;
      for (int i = 0; i < n; i++) {
        dot += att[off + row + i] * dAtt[row + i];
      }
      int full = n - n % L;
      for (int i = 0; i < full; i += L) {
        FloatVector a = FloatVector.fromArray(S, att, off + row + i);
        a.mul(FloatVector.fromArray(S, dAtt, row + i).sub(dot)).mul(scale).intoArray(dPre, dOff + row + i);
      }
      for (int i = full; i < n; i++) {
        dPre[dOff + row + i] = att[off + row + i] * (dAtt[row + i] - dot) * scale;
      }
      java.util.Arrays.fill(dPre, dOff + row + n, dOff + row + seq, 0f);
    }
  }

  /** The scalar twin of {@link #forward}. */
  public static void forwardScalar(float[] att, int off, float[] pre, float scale, int seq) {
    for (int t = 0; t < seq; t++) {
      int row = t * seq;
      float max = Float.NEGATIVE_INFINITY;
      for (int t2 = 0; t2 <= t; t2++) {
        max = Math.max(max, pre[row + t2] * scale);
      }
      float sum = 0f;
      for (int t2 = 0; t2 <= t; t2++) {
        float e = FloatMath.exp(pre[row + t2] * scale - max);
        att[off + row + t2] = e;
        sum += e;
      }
      float inv = 1f / sum;
      for (int t2 = 0; t2 < seq; t2++) {
        att[off + row + t2] = t2 <= t ? att[off + row + t2] * inv : 0f;
      }
    }
  }

  /** The scalar twin of {@link #backward}. */
  public static void backwardScalar(float[] dPre, int dOff, float[] att, int off, float[] dAtt, float scale,
      int seq) {
    for (int t = 0; t < seq; t++) {
      int row = t * seq;
      float dot = 0f;
      for (int t3 = 0; t3 <= t; t3++) {
        dot += att[off + row + t3] * dAtt[row + t3];
      }
      for (int t2 = 0; t2 < seq; t2++) {
        dPre[dOff + row + t2] = t2 <= t ? att[off + row + t2] * (dAtt[row + t2] - dot) * scale : 0f;
      }
    }
  }
}
