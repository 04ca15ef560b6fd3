package io.elaswave.engine.kernel;

/**
 * The plain definition of {@link Gemm}: {@code out(i,j) = (accumulate ? out(i,j) : 0)} followed
 * by {@code acc = fma(A(i,p), B(p,j), acc)} for p = 0..K-1 in order.
 */
public final class GemmReference {
  private GemmReference() {}

  /** out[M,N] (+)= a[M,K] · b[K,N]. */
  public static void multiply(float[] out, float[] a, float[] b, int m, int k, int n, boolean accumulate) {
    strided(out, 0, n, a, 0, k, 1, b, 0, n, 1, m, k, n, accumulate);
  }

  /** As above, each matrix at an offset. */
  public static void multiply(
      float[] out, int outOff, float[] a, int aOff, float[] b, int bOff, int m, int k, int n, boolean accumulate) {
    strided(out, outOff, n, a, aOff, k, 1, b, bOff, n, 1, m, k, n, accumulate);
  }

  /** The twin of {@link Gemm#strided}: the same views, one scalar chain per output. */
  public static void strided(float[] out, int outOff, int ldo, float[] a, int aOff, int aRow, int aCol,
      float[] b, int bOff, int bRow, int bCol, int m, int k, int n, boolean accumulate) {
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        int o = outOff + i * ldo + j;
        float acc = accumulate ? out[o] : 0f;
        for (int p = 0; p < k; p++) {
          acc = Math.fma(a[aOff + i * aRow + p * aCol], b[bOff + p * bRow + j * bCol], acc);
        }
        out[o] = acc;
      }
    }
  }
}
