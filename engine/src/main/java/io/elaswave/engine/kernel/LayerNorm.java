package io.elaswave.engine.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Layer normalisation over the last dimension, with learned gain and bias; eps = 1e-5.
 *
 * <p>Each row's sums are one scalar chain in column order (the bits); four rows' chains run
 * interleaved so that they overlap instead of waiting on one add's latency after another. What
 * is per element runs on vectors, lanes across columns. {@link #forwardScalar} and
 * {@link #backwardScalar} are the plain twins.
 */
public final class LayerNorm {
  private static final float EPS = 1e-5f;
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int ROWS = 4;

  private LayerNorm() {}

  /**
   * out[R,C] = (in - mean) * rstd * w + b, per row. Saves mean[R] and rstd[R] for backward.
   * w at params[wOff..wOff+C), b at params[bOff..bOff+C).
   */
  public static void forward(float[] out, float[] mean, float[] rstd, float[] in, float[] params,
      int wOff, int bOff, int rows, int c) {
    int r = 0;
    for (; r + ROWS <= rows; r += ROWS) {
      int b0 = r * c;
      int b1 = b0 + c;
      int b2 = b1 + c;
      int b3 = b2 + c;
      float s0 = 0f;
      float s1 = 0f;
      float s2 = 0f;
      float s3 = 0f;
      for (int i = 0; i < c; i++) {
        s0 += in[b0 + i];
        s1 += in[b1 + i];
        s2 += in[b2 + i];
        s3 += in[b3 + i];
      }
      float m0 = s0 / c;
      float m1 = s1 / c;
      float m2 = s2 / c;
      float m3 = s3 / c;
      float v0 = 0f;
      float v1 = 0f;
      float v2 = 0f;
      float v3 = 0f;
      for (int i = 0; i < c; i++) {
        float d0 = in[b0 + i] - m0;
        float d1 = in[b1 + i] - m1;
        float d2 = in[b2 + i] - m2;
        float d3 = in[b3 + i] - m3;
        v0 += d0 * d0;
        v1 += d1 * d1;
        v2 += d2 * d2;
        v3 += d3 * d3;
      }
      finishRow(out, mean, rstd, in, params, wOff, bOff, r, c, m0, v0);
      finishRow(out, mean, rstd, in, params, wOff, bOff, r + 1, c, m1, v1);
      finishRow(out, mean, rstd, in, params, wOff, bOff, r + 2, c, m2, v2);
      finishRow(out, mean, rstd, in, params, wOff, bOff, r + 3, c, m3, v3);
    }
    for (; r < rows; r++) {
      int base = r * c;
      float sum = 0f;
      for (int i = 0; i < c; i++) {
        sum += in[base + i];
      }
      float m = sum / c;
      float var = 0f;
      for (int i = 0; i < c; i++) {
        float d = in[base + i] - m;
        var += d * d;
      }
      finishRow(out, mean, rstd, in, params, wOff, bOff, r, c, m, var);
    }
  }

  /** Row r's normalised, scaled and shifted values from its mean and summed squares. */
  private static void finishRow(float[] out, float[] mean, float[] rstd, float[] in, float[] params,
      int wOff, int bOff, int r, int c, float m, float sumSq) {
    float var = sumSq / c;
    float s = (float) (1.0 / Math.sqrt(var + EPS));
    int base = r * c;
    int full = c - c % S.length();
    for (int i = 0; i < full; i += S.length()) {
      FloatVector n = FloatVector.fromArray(S, in, base + i).sub(m).mul(s);
      n.mul(FloatVector.fromArray(S, params, wOff + i)).add(FloatVector.fromArray(S, params, bOff + i))
          .intoArray(out, base + i);
    }
    for (int i = full; i < c; i++) {
      float n = (in[base + i] - m) * s;
      out[base + i] = n * params[wOff + i] + params[bOff + i];
    }
    mean[r] = m;
    rstd[r] = s;
  }

  /** dIn[R,C] = the input gradient (overwritten); dw, db accumulate over rows in order. */
  public static void backward(float[] dIn, float[] dParams, float[] dOut, float[] in, float[] mean,
      float[] rstd, float[] params, int wOff, int bOff, int rows, int c) {
    int full = c - c % S.length();
    for (int r = 0; r < rows; r++) {
      int base = r * c;
      float m = mean[r];
      float s = rstd[r];
      float dnormMean = 0f;
      float dnormNormMean = 0f;
      for (int i = 0; i < c; i++) {
        float n = (in[base + i] - m) * s;
        float dn = params[wOff + i] * dOut[base + i];
        dnormMean += dn;
        dnormNormMean += dn * n;
      }
      dnormMean /= c;
      dnormNormMean /= c;
      for (int i = 0; i < full; i += S.length()) {
        FloatVector n = FloatVector.fromArray(S, in, base + i).sub(m).mul(s);
        FloatVector g = FloatVector.fromArray(S, dOut, base + i);
        FloatVector dn = FloatVector.fromArray(S, params, wOff + i).mul(g);
        FloatVector.fromArray(S, dParams, bOff + i).add(g).intoArray(dParams, bOff + i);
        FloatVector.fromArray(S, dParams, wOff + i).add(n.mul(g)).intoArray(dParams, wOff + i);
        dn.sub(dnormMean).sub(n.mul(dnormNormMean)).mul(s).intoArray(dIn, base + i);
      }
      for (int i = full; i < c; i++) {
        float n = (in[base + i] - m) * s;
        float dn = params[wOff + i] * dOut[base + i];
        dParams[bOff + i] += dOut[base + i];
        dParams[wOff + i] += n * dOut[base + i];
        dIn[base + i] = (dn - dnormMean - n * dnormNormMean) * s;
      }
    }
  }

  /** The scalar twin of {@link #forward}. */
  public static void forwardScalar(float[] out, float[] mean, float[] rstd, float[] in, float[] params,
      int wOff, int bOff, int rows, int c) {
    for (int r = 0; r < rows; r++) {
      int base = r * c;
      float sum = 0f;
      for (int i = 0; i < c; i++) {
        sum += in[base + i];
      }
      float m = sum / c;
      float var = 0f;
      for (int i = 0; i < c; i++) {
        float d = in[base + i] - m;
        var += d * d;
      }
      var /= c;
      float s = (float) (1.0 / Math.sqrt(var + EPS));
      for (int i = 0; i < c; i++) {
        float n = (in[base + i] - m) * s;
        out[base + i] = n * params[wOff + i] + params[bOff + i];
      }
      mean[r] = m;
      rstd[r] = s;
    }
  }

  /** The scalar twin of {@link #backward}. */
  public static void backwardScalar(float[] dIn, float[] dParams, float[] dOut, float[] in, float[] mean,
      float[] rstd, float[] params, int wOff, int bOff, int rows, int c) {
    for (int r = 0; r < rows; r++) {
      int base = r * c;
      float m = mean[r];
      float s = rstd[r];
      float dnormMean = 0f;
      float dnormNormMean = 0f;
      for (int i = 0; i < c; i++) {
        float n = (in[base + i] - m) * s;
        float dn = params[wOff + i] * dOut[base + i];
        dnormMean += dn;
        dnormNormMean += dn * n;
      }
      dnormMean /= c;
      dnormNormMean /= c;
      for (int i = 0; i < c; i++) {
        float n = (in[base + i] - m) * s;
        float dn = params[wOff + i] * dOut[base + i];
        dParams[bOff + i] += dOut[base + i];
        dParams[wOff + i] += n * dOut[base + i];
        dIn[base + i] = (dn - dnormMean - n * dnormNormMean) * s;
      }
    }
  }
}
