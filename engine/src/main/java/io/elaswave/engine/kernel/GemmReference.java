package io.elaswave.engine.kernel;

/**
 * The plain definition of {@link Gemm}: {@code out[m,n] = (accumulate ? out[m,n] : 0)} followed
 * by {@code acc = fma(a[m,k], b[k,n], acc)} for k = 0..K-1 in order.
 */
public final class GemmReference {
  private GemmReference() {}

  /** out[M,N] (+)= a[M,K] · b[K,N]. */
  public static void multiply(float[] out, float[] a, float[] b, int m, int k, int n, boolean accumulate) {
    multiply(out, 0, a, 0, b, 0, m, k, n, accumulate);
  }

  /** As above, each matrix at an offset. */
  public static void multiply(
      float[] out, int outOff, float[] a, int aOff, float[] b, int bOff, int m, int k, int n, boolean accumulate) {
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        float acc = accumulate ? out[outOff + i * n + j] : 0f;
        for (int p = 0; p < k; p++) {
          acc = Math.fma(a[aOff + i * k + p], b[bOff + p * n + j], acc);
        }
        out[outOff + i * n + j] = acc;
      }
    }
  }
}
