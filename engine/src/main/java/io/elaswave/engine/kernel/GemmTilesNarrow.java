package io.elaswave.engine.kernel;

import static io.elaswave.engine.kernel.GemmTiles.L;
import static io.elaswave.engine.kernel.GemmTiles.S;
import static io.elaswave.engine.kernel.GemmTiles.start;

import jdk.incubator.vector.FloatVector;

/**
 * {@link GemmTiles}' tiles for a machine with 16 vector registers (AVX2): 4 rows × 2 vectors of
 * C (8 accumulators, 2 B vectors and a broadcast: 11 registers), or × 1 vector for a narrow
 * last panel. The same contract and the same bits: each lane one output's fma chain in
 * increasing p, started from zero or from C.
 */
final class GemmTilesNarrow {
  private GemmTilesNarrow() {}

  static void tile4x2(float[] c, int cOff, int ldc, float[] a, int aOff, int lda, float[] b, int bOff, int ldb, int kc, boolean load) {
    int o0 = cOff;
    int o1 = o0 + ldc;
    int o2 = o1 + ldc;
    int o3 = o2 + ldc;
    int a0 = aOff;
    int a1 = aOff + lda;
    int a2 = aOff + 2 * lda;
    int a3 = aOff + 3 * lda;
    FloatVector c00 = start(c, o0, load);
    FloatVector c01 = start(c, o0 + L, load);
    FloatVector c10 = start(c, o1, load);
    FloatVector c11 = start(c, o1 + L, load);
    FloatVector c20 = start(c, o2, load);
    FloatVector c21 = start(c, o2 + L, load);
    FloatVector c30 = start(c, o3, load);
    FloatVector c31 = start(c, o3 + L, load);
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
    }
    c00.intoArray(c, o0);
    c01.intoArray(c, o0 + L);
    c10.intoArray(c, o1);
    c11.intoArray(c, o1 + L);
    c20.intoArray(c, o2);
    c21.intoArray(c, o2 + L);
    c30.intoArray(c, o3);
    c31.intoArray(c, o3 + L);
  }

  static void tile4x1(float[] c, int cOff, int ldc, float[] a, int aOff, int lda, float[] b, int bOff, int ldb, int kc, boolean load) {
    int o0 = cOff;
    int o1 = o0 + ldc;
    int o2 = o1 + ldc;
    int o3 = o2 + ldc;
    int a0 = aOff;
    int a1 = aOff + lda;
    int a2 = aOff + 2 * lda;
    int a3 = aOff + 3 * lda;
    FloatVector c0 = start(c, o0, load);
    FloatVector c1 = start(c, o1, load);
    FloatVector c2 = start(c, o2, load);
    FloatVector c3 = start(c, o3, load);
    for (int p = 0; p < kc; p++) {
      FloatVector b0 = FloatVector.fromArray(S, b, bOff + p * ldb);
      c0 = FloatVector.broadcast(S, a[a0 + p]).fma(b0, c0);
      c1 = FloatVector.broadcast(S, a[a1 + p]).fma(b0, c1);
      c2 = FloatVector.broadcast(S, a[a2 + p]).fma(b0, c2);
      c3 = FloatVector.broadcast(S, a[a3 + p]).fma(b0, c3);
    }
    c0.intoArray(c, o0);
    c1.intoArray(c, o1);
    c2.intoArray(c, o2);
    c3.intoArray(c, o3);
  }
}
