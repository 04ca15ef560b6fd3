package io.elaswave.engine.kernel;

/**
 * The plain definition of {@link Gelu}, one element at a time: GELU, tanh approximation,
 * 0.5 x (1 + tanh(√(2/π) (x + 0.044715 x³))).
 */
public final class GeluReference {
  static final float SCALE = (float) Math.sqrt(2.0 / Math.PI);
  static final float CUBE = 0.044715f;

  private GeluReference() {}

  /** out[N] = gelu(in[N]). */
  public static void forward(float[] out, float[] in, int n) {
    forward(out, in, 0, n);
  }

  /** Elements [from, n) only: the fast kernel's tail. */
  static void forward(float[] out, float[] in, int from, int n) {
    for (int i = from; i < n; i++) {
      float x = in[i];
      float t = FloatMath.tanh(SCALE * (x + CUBE * x * x * x));
      out[i] = 0.5f * x * (1f + t);
    }
  }

  /** dIn[N] = gelu'(in) * dOut (overwritten). */
  public static void backward(float[] dIn, float[] dOut, float[] in, int n) {
    backward(dIn, dOut, in, 0, n);
  }

  /** Elements [from, n) only: the fast kernel's tail. */
  static void backward(float[] dIn, float[] dOut, float[] in, int from, int n) {
    for (int i = from; i < n; i++) {
      float x = in[i];
      float u = SCALE * (x + CUBE * x * x * x);
      float t = FloatMath.tanh(u);
      float sech2 = 1f - t * t;
      float grad = 0.5f * (1f + t) + 0.5f * x * sech2 * SCALE * (1f + 3f * CUBE * x * x);
      dIn[i] = grad * dOut[i];
    }
  }
}
