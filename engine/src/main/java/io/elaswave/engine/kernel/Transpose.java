package io.elaswave.engine.kernel;

/** Matrix transpose, a pure data movement (no arithmetic, so no rounding). */
public final class Transpose {
  private Transpose() {}

  /** out[C,R] = in[R,C]^T, with in read from {@code inOffset}. */
  public static float[] of(float[] in, int inOffset, int rows, int cols) {
    float[] out = new float[rows * cols];
    for (int r = 0; r < rows; r++) {
      int base = inOffset + r * cols;
      for (int c = 0; c < cols; c++) {
        out[c * rows + r] = in[base + c];
      }
    }
    return out;
  }
}
