package io.elaswave.engine.kernel;

/**
 * A dense layer on rows: out[R,O] = in[R,C] · W[C,O] + bias[O]. Weights are stored input-major
 * ([C,O]) inside a layer's flat parameter vector at {@code wOff}; bias at {@code bOff}, or
 * {@code NO_BIAS}.
 */
public final class Linear {
  public static final int NO_BIAS = -1;

  private Linear() {}

  /** out[R,O] = in[R,C] · W[C,O] (+ bias[O], added after the product chain). */
  public static void forward(float[] out, float[] in, float[] params, int wOff, int bOff, int rows, int c, int o) {
    Gemm.multiply(out, 0, in, 0, params, wOff, rows, c, o, false);
    if (bOff != NO_BIAS) {
      for (int r = 0; r < rows; r++) {
        int base = r * o;
        for (int j = 0; j < o; j++) {
          out[base + j] += params[bOff + j];
        }
      }
    }
  }

  /**
   * Gradients: dW[C,O] += in^T · dOut, dBias[O] += Σ_r dOut[r,:] (rows in order), and, when
   * {@code dIn} is not null, dIn[R,C] = dOut[R,O] · W^T.
   */
  public static void backward(float[] dIn, float[] dParams, float[] dOut, float[] in, float[] params,
      int wOff, int bOff, int rows, int c, int o) {
    Gemm.multiplyTransposedA(dParams, wOff, in, 0, dOut, 0, c, rows, o, true); // in read as [C,R]
    if (bOff != NO_BIAS) {
      for (int r = 0; r < rows; r++) {
        int base = r * o;
        for (int j = 0; j < o; j++) {
          dParams[bOff + j] += dOut[base + j];
        }
      }
    }
    if (dIn != null) {
      Gemm.multiplyTransposedB(dIn, 0, dOut, 0, params, wOff, rows, o, c, false); // W read as [O,C]
    }
  }
}
