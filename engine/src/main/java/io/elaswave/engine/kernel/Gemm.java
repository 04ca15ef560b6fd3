package io.elaswave.engine.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * General matrix multiply, bitwise equal to {@link GemmReference} on every machine: each output
 * is one fma chain over k in increasing order. A register tile of 4 rows × 2 vectors keeps eight
 * independent accumulators in registers; lanes are distinct outputs, so the vector width (8 on
 * AVX2, 16 on AVX-512) never changes a bit. Edges fall back to the scalar chain.
 */
public final class Gemm {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  private static final int TILE_ROWS = 4;
  private static final int TILE_COLS = 2 * L;

  private Gemm() {}

  /** out[M,N] (+)= a[M,K] · b[K,N]; all row-major from offset 0 and not aliased. */
  public static void multiply(float[] out, float[] a, float[] b, int m, int k, int n, boolean accumulate) {
    multiply(out, 0, a, 0, b, 0, m, k, n, accumulate);
  }

  /** As {@link #multiply(float[], float[], float[], int, int, int, boolean)}, each matrix at an offset. */
  public static void multiply(
      float[] out, int outOff, float[] a, int aOff, float[] b, int bOff, int m, int k, int n, boolean accumulate) {
    int fullRows = m - m % TILE_ROWS;
    int fullCols = n - n % TILE_COLS;
    for (int i = 0; i < fullRows; i += TILE_ROWS) {
      for (int j = 0; j < fullCols; j += TILE_COLS) {
        tile4x2(out, outOff, a, aOff, b, bOff, i, j, k, n, accumulate);
      }
      scalarBlock(out, outOff, a, aOff, b, bOff, i, i + TILE_ROWS, fullCols, n, k, n, accumulate);
    }
    for (int i = fullRows; i < m; i++) {
      for (int j = 0; j < fullCols; j += L) {
        row1x1(out, outOff, a, aOff, b, bOff, i, j, k, n, accumulate);
      }
    }
    scalarBlock(out, outOff, a, aOff, b, bOff, fullRows, m, fullCols, n, k, n, accumulate);
  }

  private static void tile4x2(
      float[] out, int outOff, float[] a, int aOff, float[] b, int bOff, int i, int j, int k, int n, boolean acc) {
    int o0 = outOff + i * n + j;
    int o1 = o0 + n;
    int o2 = o1 + n;
    int o3 = o2 + n;
    FloatVector c00 = start(out, o0, acc);
    FloatVector c01 = start(out, o0 + L, acc);
    FloatVector c10 = start(out, o1, acc);
    FloatVector c11 = start(out, o1 + L, acc);
    FloatVector c20 = start(out, o2, acc);
    FloatVector c21 = start(out, o2 + L, acc);
    FloatVector c30 = start(out, o3, acc);
    FloatVector c31 = start(out, o3 + L, acc);
    int a0 = aOff + i * k;
    int a1 = a0 + k;
    int a2 = a1 + k;
    int a3 = a2 + k;
    for (int p = 0; p < k; p++) {
      int bp = bOff + p * n + j;
      FloatVector b0 = FloatVector.fromArray(S, b, bp);
      FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
      FloatVector x0 = FloatVector.broadcast(S, a[a0 + p]);
      FloatVector x1 = FloatVector.broadcast(S, a[a1 + p]);
      FloatVector x2 = FloatVector.broadcast(S, a[a2 + p]);
      FloatVector x3 = FloatVector.broadcast(S, a[a3 + p]);
      c00 = x0.fma(b0, c00);
      c01 = x0.fma(b1, c01);
      c10 = x1.fma(b0, c10);
      c11 = x1.fma(b1, c11);
      c20 = x2.fma(b0, c20);
      c21 = x2.fma(b1, c21);
      c30 = x3.fma(b0, c30);
      c31 = x3.fma(b1, c31);
    }
    c00.intoArray(out, o0);
    c01.intoArray(out, o0 + L);
    c10.intoArray(out, o1);
    c11.intoArray(out, o1 + L);
    c20.intoArray(out, o2);
    c21.intoArray(out, o2 + L);
    c30.intoArray(out, o3);
    c31.intoArray(out, o3 + L);
  }

  private static void row1x1(
      float[] out, int outOff, float[] a, int aOff, float[] b, int bOff, int i, int j, int k, int n, boolean acc) {
    int o = outOff + i * n + j;
    FloatVector c = start(out, o, acc);
    int ai = aOff + i * k;
    for (int p = 0; p < k; p++) {
      c = FloatVector.broadcast(S, a[ai + p]).fma(FloatVector.fromArray(S, b, bOff + p * n + j), c);
    }
    c.intoArray(out, o);
  }

  private static FloatVector start(float[] out, int offset, boolean accumulate) {
    return accumulate ? FloatVector.fromArray(S, out, offset) : FloatVector.zero(S);
  }

  /** Rows [r0, r1) × columns [c0, c1) by the scalar fma chain. */
  private static void scalarBlock(float[] out, int outOff, float[] a, int aOff, float[] b, int bOff,
      int r0, int r1, int c0, int c1, int k, int n, boolean accumulate) {
    for (int i = r0; i < r1; i++) {
      for (int j = c0; j < c1; j++) {
        int o = outOff + i * n + j;
        float acc = accumulate ? out[o] : 0f;
        for (int p = 0; p < k; p++) {
          acc = Math.fma(a[aOff + i * k + p], b[bOff + p * n + j], acc);
        }
        out[o] = acc;
      }
    }
  }
}
