package io.elaswave.engine.kernel;

import static io.elaswave.engine.kernel.GemmTiles.COLS;
import static io.elaswave.engine.kernel.GemmTiles.L;
import static io.elaswave.engine.kernel.GemmTiles.ROWS;

/**
 * General matrix multiply, bitwise equal to {@link GemmReference} on every machine: each output
 * is one fma chain over k in increasing order, started from zero or from the output.
 *
 * <p>Speed without moving a bit: k runs in blocks of {@link #KC}; per block, B is packed into
 * panels of {@code COLS} columns and each {@code ROWS}-row slice of A into a contiguous strip, and
 * {@link GemmTiles} runs a register tile over them. Between blocks the partial sums are stored in
 * the output and reloaded, which is exact, so each chain is unchanged. Any operand may be read
 * with arbitrary row and column strides ({@link #strided}), which is how a transposed operand or
 * a head's columns inside q|k|v are read in place: the packing reads them, nothing is copied
 * into a new array. Edges (a last panel narrower than COLS, a last strip shorter than ROWS) run
 * the same vector tiles on a small buffer; the lanes and rows past the edge are discarded.
 * Packed panels live in a per-thread scratch sized once to the largest call.
 */
public final class Gemm {
  /** The k-block: a B panel of KC × COLS floats (32 KiB on AVX-512) stays in L1 for a strip. */
  static final int KC = 256;

  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  private Gemm() {}

  /** out[M,N] (+)= a[M,K] · b[K,N]; all row-major from offset 0 and not aliased. */
  public static void multiply(float[] out, float[] a, float[] b, int m, int k, int n, boolean accumulate) {
    strided(out, 0, n, a, 0, k, 1, b, 0, n, 1, m, k, n, accumulate);
  }

  /** As {@link #multiply(float[], float[], float[], int, int, int, boolean)}, each matrix at an offset. */
  public static void multiply(
      float[] out, int outOff, float[] a, int aOff, float[] b, int bOff, int m, int k, int n, boolean accumulate) {
    strided(out, outOff, n, a, aOff, k, 1, b, bOff, n, 1, m, k, n, accumulate);
  }

  /** out[M,N] (+)= A · b[K,N] where {@code at} holds A transposed, row-major [K,M]. */
  public static void multiplyTransposedA(
      float[] out, int outOff, float[] at, int aOff, float[] b, int bOff, int m, int k, int n, boolean accumulate) {
    strided(out, outOff, n, at, aOff, 1, m, b, bOff, n, 1, m, k, n, accumulate);
  }

  /** out[M,N] (+)= a[M,K] · B where {@code bt} holds B transposed, row-major [N,K]. */
  public static void multiplyTransposedB(
      float[] out, int outOff, float[] a, int aOff, float[] bt, int bOff, int m, int k, int n, boolean accumulate) {
    strided(out, outOff, n, a, aOff, k, 1, bt, bOff, 1, k, m, k, n, accumulate);
  }

  /**
   * out(i,j) (+)= Σ_p A(i,p)·B(p,j) with out(i,j) at {@code outOff + i·ldo + j}, A(i,p) at
   * {@code aOff + i·aRow + p·aCol} and B(p,j) at {@code bOff + p·bRow + j·bCol}. The output must
   * not overlap A or B. Every index is checked before anything is written.
   */
  public static void strided(float[] out, int outOff, int ldo, float[] a, int aOff, int aRow, int aCol,
      float[] b, int bOff, int bRow, int bCol, int m, int k, int n, boolean accumulate) {
    if (m < 0 || k < 0 || n < 0 || ldo < n) {
      throw new IllegalArgumentException("bad gemm shape " + m + "x" + k + "x" + n + " (ldo " + ldo + ")");
    }
    if (m == 0 || n == 0) {
      return;
    }
    checkView("out", out.length, outOff, ldo, 1, m, n);
    if (k == 0) {
      if (!accumulate) {
        for (int i = 0; i < m; i++) {
          java.util.Arrays.fill(out, outOff + i * ldo, outOff + i * ldo + n, 0f);
        }
      }
      return;
    }
    checkView("a", a.length, aOff, aRow, aCol, m, k);
    checkView("b", b.length, bOff, bRow, bCol, k, n);
    Scratch s = SCRATCH.get();
    int panels = (n + COLS - 1) / COLS;
    int tail = n % COLS; // columns of a last, narrower panel (0: none)
    for (int k0 = 0; k0 < k; k0 += KC) {
      int kc = Math.min(KC, k - k0);
      // B is read in place when its rows are contiguous, else packed; a narrow last panel is
      // always packed so that its tile may read whole vectors
      boolean packAll = bCol != 1;
      float[] pb = s.panels((packAll ? panels : 1) * kc * COLS);
      for (int jp = packAll ? 0 : panels - 1; jp < panels; jp++) {
        int j0 = jp * COLS;
        if (packAll || tail != 0) {
          packB(pb, (packAll ? jp : 0) * kc * COLS, b, bOff + k0 * bRow + j0 * bCol, bRow, bCol, kc,
              Math.min(COLS, n - j0));
        }
      }
      boolean load = accumulate || k0 > 0;
      for (int i0 = 0; i0 < m; i0 += ROWS) {
        int r = Math.min(ROWS, m - i0);
        float[] as = a;
        int ao = aOff + i0 * aRow + k0 * aCol;
        int lda = aRow;
        boolean aT = aRow == 1 && aCol != 1 && r == ROWS && GemmTiles.TRANSPOSED_A;
        if (aT) {
          lda = aCol;
        } else if (aCol != 1 || r < ROWS) {
          packA(s.strip, a, ao, aRow, aCol, kc, r);
          as = s.strip;
          ao = 0;
          lda = kc;
        }
        for (int jp = 0; jp < panels; jp++) {
          int j0 = jp * COLS;
          int w = Math.min(COLS, n - j0);
          float[] bs = pb;
          int bo;
          int ldb = COLS;
          if (packAll) {
            bo = jp * kc * COLS;
          } else if (w < COLS) {
            bo = 0;
          } else {
            bs = b;
            bo = bOff + k0 * bRow + j0;
            ldb = bRow;
          }
          int c = outOff + i0 * ldo + j0;
          if (aT && w == COLS) {
            GemmTiles.fullTransposedA(out, c, ldo, as, ao, lda, bs, bo, ldb, kc, load);
          } else if (r == ROWS && w == COLS) {
            GemmTiles.full(out, c, ldo, as, ao, lda, bs, bo, ldb, kc, load);
          } else {
            edge(s, out, c, ldo, as, ao, lda, aT, bs, bo, ldb, kc, r, w, load);
          }
        }
      }
    }
  }

  /** A tile cut by the matrix's edge: computed whole in the edge buffer, r × w of it kept. */
  private static void edge(Scratch s, float[] out, int c, int ldo, float[] a, int aOff, int lda, boolean aT,
      float[] b, int bOff, int ldb, int kc, int r, int w, boolean load) {
    float[] buf = s.edge;
    if (load) {
      for (int i = 0; i < r; i++) {
        System.arraycopy(out, c + i * ldo, buf, i * COLS, w);
      }
    }
    if (aT) {
      if (w <= L) {
        GemmTiles.halfTransposedA(buf, 0, COLS, a, aOff, lda, b, bOff, ldb, kc, load);
      } else {
        GemmTiles.fullTransposedA(buf, 0, COLS, a, aOff, lda, b, bOff, ldb, kc, load);
      }
    } else if (w <= L) {
      GemmTiles.half(buf, 0, COLS, a, aOff, lda, b, bOff, ldb, kc, load);
    } else {
      GemmTiles.full(buf, 0, COLS, a, aOff, lda, b, bOff, ldb, kc, load);
    }
    for (int i = 0; i < r; i++) {
      System.arraycopy(buf, i * COLS, out, c + i * ldo, w);
    }
  }

  /** pa[i·kc + p] = A(i, p) for the strip's r rows, row-major; rows past r are zero. */
  private static void packA(float[] pa, float[] a, int off, int aRow, int aCol, int kc, int r) {
    if (aRow == 1) { // A transposed: a strip's r values of one p lie side by side
      for (int p = 0; p < kc; p++) {
        int src = off + p * aCol;
        for (int i = 0; i < r; i++) {
          pa[i * kc + p] = a[src + i];
        }
      }
    } else {
      for (int i = 0; i < r; i++) {
        int src = off + i * aRow;
        for (int p = 0; p < kc; p++) {
          pa[i * kc + p] = a[src + p * aCol];
        }
      }
    }
    java.util.Arrays.fill(pa, r * kc, ROWS * kc, 0f);
  }

  /**
   * pb[dst + p·COLS + j] = B(p, j) for the panel's w columns. Lanes past w are left as they are:
   * lane j of a tile reads only lane j of B, so they reach only outputs that are discarded.
   */
  private static void packB(float[] pb, int dst, float[] b, int off, int bRow, int bCol, int kc, int w) {
    if (bCol == 1) {
      for (int p = 0; p < kc; p++) {
        System.arraycopy(b, off + p * bRow, pb, dst + p * COLS, w);
      }
    } else {
      for (int j = 0; j < w; j++) {
        int src = off + j * bCol;
        for (int p = 0; p < kc; p++) {
          pb[dst + p * COLS + j] = b[src + p * bRow];
        }
      }
    }
  }

  private static void checkView(String name, int length, int off, int row, int col, int rows, int cols) {
    long last = (long) off + (long) (rows - 1) * row + (long) (cols - 1) * col;
    if (off < 0 || row < 0 || col < 0 || last >= length) {
      throw new IllegalArgumentException("gemm operand " + name + " [" + rows + "x" + cols + "] at " + off
          + " with strides " + row + "," + col + " does not fit an array of " + length);
    }
  }

  /** One thread's packing buffers; B's panels grow to the largest call and are then reused. */
  private static final class Scratch {
    final float[] strip = new float[KC * ROWS];
    final float[] edge = new float[ROWS * COLS];
    private float[] panels = new float[KC * COLS];

    float[] panels(int size) {
      if (panels.length < size) {
        panels = new float[size];
      }
      return panels;
    }
  }
}
