package io.elaswave.engine.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * A dense layer on rows: out[R,O] = in[R,C] · W[C,O] + bias[O]. Weights are stored input-major
 * ([C,O]) inside a layer's flat parameter vector at {@code wOff}; bias at {@code bOff}, or
 * {@code NO_BIAS}. The bias loops run on vectors, lanes across outputs, rows in order.
 */
public final class Linear {
  public static final int NO_BIAS = -1;
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

  private Linear() {}

  /** out[R,O] = in[R,C] · W[C,O] (+ bias[O], added after the product chain). */
  public static void forward(float[] out, float[] in, float[] params, int wOff, int bOff, int rows, int c, int o) {
    Gemm.multiply(out, 0, in, 0, params, wOff, rows, c, o, false);
    if (bOff != NO_BIAS) {
      int full = o - o % S.length();
      for (int r = 0; r < rows; r++) {
        int base = r * o;
        for (int j = 0; j < full; j += S.length()) {
          FloatVector.fromArray(S, out, base + j).add(FloatVector.fromArray(S, params, bOff + j))
              .intoArray(out, base + j);
        }
        for (int j = full; j < o; j++) {
          out[base + j] += params[bOff + j];
        }
      }
    }
  }

  /**
   * Gradients: dW[C,O] += in^T · dOut, dBias[O] += Σ_r dOut[r,:] (rows in order), and, when
   * {@code dIn} is not null, dIn[R,C] = dOut[R,O] · W^T. in and W are read transposed in place.
   */
  public static void backward(float[] dIn, float[] dParams, float[] dOut, float[] in, float[] params,
      int wOff, int bOff, int rows, int c, int o) {
    Gemm.multiplyTransposedA(dParams, wOff, in, 0, dOut, 0, c, rows, o, true); // in read as [C,R]
    if (bOff != NO_BIAS) {
      int full = o - o % S.length();
      for (int j = 0; j < full; j += S.length()) {
        FloatVector acc = FloatVector.fromArray(S, dParams, bOff + j);
        for (int r = 0; r < rows; r++) {
          acc = acc.add(FloatVector.fromArray(S, dOut, r * o + j));
        }
        acc.intoArray(dParams, bOff + j);
      }
      for (int j = full; j < o; j++) {
        float acc = dParams[bOff + j];
        for (int r = 0; r < rows; r++) {
          acc += dOut[r * o + j];
        }
        dParams[bOff + j] = acc;
      }
    }
    if (dIn != null) {
      Gemm.multiplyTransposedB(dIn, 0, dOut, 0, params, wOff, rows, o, c, false); // W read as [O,C]
    }
  }
}
