package io.elaswave.engine.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register tiles of {@link Gemm}: ROWS × 2 vectors (or × 1 vector for a narrow last panel)
 * of C held in registers while k runs over a block. A's rows and B's rows are read with unit
 * column stride (in place, or from {@link Gemm}'s packing), so every index is linear in p with a
 * constant scale and C2 hoists the bounds checks. Each lane of each accumulator is one output's
 * fma chain, in increasing p, started from zero or from C: the bits are those of the scalar chain.
 *
 * <p>8 rows × 2 vectors keeps 16 accumulators, 2 B vectors and a broadcast in 19 of AVX-512's
 * 32 registers, with twice the independent chains a 4-cycle fma on two ports needs; AVX2 has 16
 * registers, so there the tile is 4 × 2 (11 registers, {@link GemmTilesNarrow}).
 */
final class GemmTiles {
  static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  static final int L = S.length();
  static final int COLS = 2 * L;
  static final int ROWS = L >= 16 ? 8 : 4;
  static final boolean TRANSPOSED_A = ROWS == 8;

  private GemmTiles() {}

  /** C[ROWS, COLS] (+)= A[ROWS, kc] · B[kc, COLS]; each at an offset with its row stride. */
  static void full(float[] c, int cOff, int ldc, float[] a, int aOff, int lda, float[] b, int bOff, int ldb, int kc, boolean load) {
    if (ROWS == 8) {
      tile8x2(c, cOff, ldc, a, aOff, lda, b, bOff, ldb, kc, load);
    } else {
      GemmTilesNarrow.tile4x2(c, cOff, ldc, a, aOff, lda, b, bOff, ldb, kc, load);
    }
  }

  /** As {@link #full} for the first L columns only (a last panel of at most L columns). */
  static void half(float[] c, int cOff, int ldc, float[] a, int aOff, int lda, float[] b, int bOff, int ldb, int kc, boolean load) {
    if (ROWS == 8) {
      tile8x1(c, cOff, ldc, a, aOff, lda, b, bOff, ldb, kc, load);
    } else {
      GemmTilesNarrow.tile4x1(c, cOff, ldc, a, aOff, lda, b, bOff, ldb, kc, load);
    }
  }

  /**
   * As {@link #full} with A read transposed in place: A(r, p) at {@code a[aOff + p·lda + r]}
   * (a strip's values of one p side by side, so C2 checks their bounds once per p). Only the
   * 8-row tile has this form; {@link #TRANSPOSED_A} says whether this machine uses it.
   */
  static void fullTransposedA(float[] c, int cOff, int ldc, float[] a, int aOff, int lda,
      float[] b, int bOff, int ldb, int kc, boolean load) {
    tile8x2t(c, cOff, ldc, a, aOff, lda, b, bOff, ldb, kc, load);
  }

  /** As {@link #half} with A read transposed in place. */
  static void halfTransposedA(float[] c, int cOff, int ldc, float[] a, int aOff, int lda,
      float[] b, int bOff, int ldb, int kc, boolean load) {
    tile8x1t(c, cOff, ldc, a, aOff, lda, b, bOff, ldb, kc, load);
  }

  /** An accumulator's start: C's values, or zeros (small: C2 always inlines it, so no vector is boxed). */
  static FloatVector start(float[] c, int off, boolean load) {
    return load ? FloatVector.fromArray(S, c, off) : FloatVector.zero(S);
  }

  private static void tile8x2(float[] c, int cOff, int ldc, float[] a, int aOff, int lda, float[] b, int bOff, int ldb, int kc, boolean load) {
    int o0 = cOff;
    int o1 = o0 + ldc;
    int o2 = o1 + ldc;
    int o3 = o2 + ldc;
    int o4 = o3 + ldc;
    int o5 = o4 + ldc;
    int o6 = o5 + ldc;
    int o7 = o6 + ldc;
    int a0 = aOff;
    int a1 = aOff + lda;
    int a2 = aOff + 2 * lda;
    int a3 = aOff + 3 * lda;
    int a4 = aOff + 4 * lda;
    int a5 = aOff + 5 * lda;
    int a6 = aOff + 6 * lda;
    int a7 = aOff + 7 * lda;
    FloatVector c00 = start(c, o0, load);
    FloatVector c01 = start(c, o0 + L, load);
    FloatVector c10 = start(c, o1, load);
    FloatVector c11 = start(c, o1 + L, load);
    FloatVector c20 = start(c, o2, load);
    FloatVector c21 = start(c, o2 + L, load);
    FloatVector c30 = start(c, o3, load);
    FloatVector c31 = start(c, o3 + L, load);
    FloatVector c40 = start(c, o4, load);
    FloatVector c41 = start(c, o4 + L, load);
    FloatVector c50 = start(c, o5, load);
    FloatVector c51 = start(c, o5 + L, load);
    FloatVector c60 = start(c, o6, load);
    FloatVector c61 = start(c, o6 + L, load);
    FloatVector c70 = start(c, o7, load);
    FloatVector c71 = start(c, o7 + L, load);
    for (int p = 0; p < kc; p++) {
      int bp = bOff + p * ldb;
      FloatVector b0 = FloatVector.fromArray(S, b, bp);
      FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
      FloatVector x = FloatVector.broadcast(S, a[a0 + p]);
      c00 = x.fma(b0, c00);
      c01 = x.fma(b1, c01);
      x = FloatVector.broadcast(S, a[a1 + p]);
      c10 = x.fma(b0, c10);
      c11 = x.fma(b1, c11);
      x = FloatVector.broadcast(S, a[a2 + p]);
      c20 = x.fma(b0, c20);
      c21 = x.fma(b1, c21);
      x = FloatVector.broadcast(S, a[a3 + p]);
      c30 = x.fma(b0, c30);
      c31 = x.fma(b1, c31);
      x = FloatVector.broadcast(S, a[a4 + p]);
      c40 = x.fma(b0, c40);
      c41 = x.fma(b1, c41);
      x = FloatVector.broadcast(S, a[a5 + p]);
      c50 = x.fma(b0, c50);
      c51 = x.fma(b1, c51);
      x = FloatVector.broadcast(S, a[a6 + p]);
      c60 = x.fma(b0, c60);
      c61 = x.fma(b1, c61);
      x = FloatVector.broadcast(S, a[a7 + p]);
      c70 = x.fma(b0, c70);
      c71 = x.fma(b1, c71);
    }
    c00.intoArray(c, o0);
    c01.intoArray(c, o0 + L);
    c10.intoArray(c, o1);
    c11.intoArray(c, o1 + L);
    c20.intoArray(c, o2);
    c21.intoArray(c, o2 + L);
    c30.intoArray(c, o3);
    c31.intoArray(c, o3 + L);
    c40.intoArray(c, o4);
    c41.intoArray(c, o4 + L);
    c50.intoArray(c, o5);
    c51.intoArray(c, o5 + L);
    c60.intoArray(c, o6);
    c61.intoArray(c, o6 + L);
    c70.intoArray(c, o7);
    c71.intoArray(c, o7 + L);
  }

  private static void tile8x1(float[] c, int cOff, int ldc, float[] a, int aOff, int lda, float[] b, int bOff, int ldb, int kc, boolean load) {
    int o0 = cOff;
    int o1 = o0 + ldc;
    int o2 = o1 + ldc;
    int o3 = o2 + ldc;
    int o4 = o3 + ldc;
    int o5 = o4 + ldc;
    int o6 = o5 + ldc;
    int o7 = o6 + ldc;
    int a0 = aOff;
    int a1 = aOff + lda;
    int a2 = aOff + 2 * lda;
    int a3 = aOff + 3 * lda;
    int a4 = aOff + 4 * lda;
    int a5 = aOff + 5 * lda;
    int a6 = aOff + 6 * lda;
    int a7 = aOff + 7 * lda;
    FloatVector c0 = start(c, o0, load);
    FloatVector c1 = start(c, o1, load);
    FloatVector c2 = start(c, o2, load);
    FloatVector c3 = start(c, o3, load);
    FloatVector c4 = start(c, o4, load);
    FloatVector c5 = start(c, o5, load);
    FloatVector c6 = start(c, o6, load);
    FloatVector c7 = start(c, o7, load);
    for (int p = 0; p < kc; p++) {
      FloatVector b0 = FloatVector.fromArray(S, b, bOff + p * ldb);
      c0 = FloatVector.broadcast(S, a[a0 + p]).fma(b0, c0);
      c1 = FloatVector.broadcast(S, a[a1 + p]).fma(b0, c1);
      c2 = FloatVector.broadcast(S, a[a2 + p]).fma(b0, c2);
      c3 = FloatVector.broadcast(S, a[a3 + p]).fma(b0, c3);
      c4 = FloatVector.broadcast(S, a[a4 + p]).fma(b0, c4);
      c5 = FloatVector.broadcast(S, a[a5 + p]).fma(b0, c5);
      c6 = FloatVector.broadcast(S, a[a6 + p]).fma(b0, c6);
      c7 = FloatVector.broadcast(S, a[a7 + p]).fma(b0, c7);
    }
    c0.intoArray(c, o0);
    c1.intoArray(c, o1);
    c2.intoArray(c, o2);
    c3.intoArray(c, o3);
    c4.intoArray(c, o4);
    c5.intoArray(c, o5);
    c6.intoArray(c, o6);
    c7.intoArray(c, o7);
  }

  private static void tile8x2t(float[] c, int cOff, int ldc, float[] a, int aOff, int lda, float[] b, int bOff, int ldb, int kc, boolean load) {
    int o0 = cOff;
    int o1 = o0 + ldc;
    int o2 = o1 + ldc;
    int o3 = o2 + ldc;
    int o4 = o3 + ldc;
    int o5 = o4 + ldc;
    int o6 = o5 + ldc;
    int o7 = o6 + ldc;
    FloatVector c00 = start(c, o0, load);
    FloatVector c01 = start(c, o0 + L, load);
    FloatVector c10 = start(c, o1, load);
    FloatVector c11 = start(c, o1 + L, load);
    FloatVector c20 = start(c, o2, load);
    FloatVector c21 = start(c, o2 + L, load);
    FloatVector c30 = start(c, o3, load);
    FloatVector c31 = start(c, o3 + L, load);
    FloatVector c40 = start(c, o4, load);
    FloatVector c41 = start(c, o4 + L, load);
    FloatVector c50 = start(c, o5, load);
    FloatVector c51 = start(c, o5 + L, load);
    FloatVector c60 = start(c, o6, load);
    FloatVector c61 = start(c, o6 + L, load);
    FloatVector c70 = start(c, o7, load);
    FloatVector c71 = start(c, o7 + L, load);
    for (int p = 0; p < kc; p++) {
      int ap = aOff + p * lda;
      int bp = bOff + p * ldb;
      FloatVector b0 = FloatVector.fromArray(S, b, bp);
      FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
      FloatVector x = FloatVector.broadcast(S, a[ap]);
      c00 = x.fma(b0, c00);
      c01 = x.fma(b1, c01);
      x = FloatVector.broadcast(S, a[ap + 1]);
      c10 = x.fma(b0, c10);
      c11 = x.fma(b1, c11);
      x = FloatVector.broadcast(S, a[ap + 2]);
      c20 = x.fma(b0, c20);
      c21 = x.fma(b1, c21);
      x = FloatVector.broadcast(S, a[ap + 3]);
      c30 = x.fma(b0, c30);
      c31 = x.fma(b1, c31);
      x = FloatVector.broadcast(S, a[ap + 4]);
      c40 = x.fma(b0, c40);
      c41 = x.fma(b1, c41);
      x = FloatVector.broadcast(S, a[ap + 5]);
      c50 = x.fma(b0, c50);
      c51 = x.fma(b1, c51);
      x = FloatVector.broadcast(S, a[ap + 6]);
      c60 = x.fma(b0, c60);
      c61 = x.fma(b1, c61);
      x = FloatVector.broadcast(S, a[ap + 7]);
      c70 = x.fma(b0, c70);
      c71 = x.fma(b1, c71);
    }
    c00.intoArray(c, o0);
    c01.intoArray(c, o0 + L);
    c10.intoArray(c, o1);
    c11.intoArray(c, o1 + L);
    c20.intoArray(c, o2);
    c21.intoArray(c, o2 + L);
    c30.intoArray(c, o3);
    c31.intoArray(c, o3 + L);
    c40.intoArray(c, o4);
    c41.intoArray(c, o4 + L);
    c50.intoArray(c, o5);
    c51.intoArray(c, o5 + L);
    c60.intoArray(c, o6);
    c61.intoArray(c, o6 + L);
    c70.intoArray(c, o7);
    c71.intoArray(c, o7 + L);
  }

  private static void tile8x1t(float[] c, int cOff, int ldc, float[] a, int aOff, int lda, float[] b, int bOff, int ldb, int kc, boolean load) {
    int o0 = cOff;
    int o1 = o0 + ldc;
    int o2 = o1 + ldc;
    int o3 = o2 + ldc;
    int o4 = o3 + ldc;
    int o5 = o4 + ldc;
    int o6 = o5 + ldc;
    int o7 = o6 + ldc;
    FloatVector c0 = start(c, o0, load);
    FloatVector c1 = start(c, o1, load);
    FloatVector c2 = start(c, o2, load);
    FloatVector c3 = start(c, o3, load);
    FloatVector c4 = start(c, o4, load);
    FloatVector c5 = start(c, o5, load);
    FloatVector c6 = start(c, o6, load);
    FloatVector c7 = start(c, o7, load);
    for (int p = 0; p < kc; p++) {
      int ap = aOff + p * lda;
      FloatVector b0 = FloatVector.fromArray(S, b, bOff + p * ldb);
      c0 = FloatVector.broadcast(S, a[ap]).fma(b0, c0);
      c1 = FloatVector.broadcast(S, a[ap + 1]).fma(b0, c1);
      c2 = FloatVector.broadcast(S, a[ap + 2]).fma(b0, c2);
      c3 = FloatVector.broadcast(S, a[ap + 3]).fma(b0, c3);
      c4 = FloatVector.broadcast(S, a[ap + 4]).fma(b0, c4);
      c5 = FloatVector.broadcast(S, a[ap + 5]).fma(b0, c5);
      c6 = FloatVector.broadcast(S, a[ap + 6]).fma(b0, c6);
      c7 = FloatVector.broadcast(S, a[ap + 7]).fma(b0, c7);
    }
    c0.intoArray(c, o0);
    c1.intoArray(c, o1);
    c2.intoArray(c, o2);
    c3.intoArray(c, o3);
    c4.intoArray(c, o4);
    c5.intoArray(c, o5);
    c6.intoArray(c, o6);
    c7.intoArray(c, o7);
  }
}
