package io.elaswave.engine.kernel;

/** Layer normalisation over the last dimension, with learned gain and bias; eps = 1e-5. */
public final class LayerNorm {
  private static final float EPS = 1e-5f;

  private LayerNorm() {}

  /**
   * out[R,C] = (in - mean) * rstd * w + b, per row. Saves mean[R] and rstd[R] for backward.
   * w at params[wOff..wOff+C), b at params[bOff..bOff+C).
   */
  public static void forward(float[] out, float[] mean, float[] rstd, float[] in, float[] params,
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

  /** dIn[R,C] = the input gradient (overwritten); dw, db accumulate over rows in order. */
  public static void backward(float[] dIn, float[] dParams, float[] dOut, float[] in, float[] mean,
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
