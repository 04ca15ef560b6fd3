package io.elaswave.bench;

import java.util.Arrays;
import java.util.Random;

/**
 * The matrix products of one {@code small} micro-batch (B=8, T=64, so R=512 rows; d=128;
 * vocab 65), as out[M,N] (+)= a[M,K] · b[K,N]. Forward is in[R,C]·W[C,O]; backward is
 * dW[C,O] += in^T[C,R]·dOut[R,O] (accumulating, as {@code Linear.backward} does) and
 * dIn[R,C] = dOut[R,O]·W^T[O,C]. {@code bench/numpy_matmul.py} lists the same shapes.
 */
public enum MatmulShape {
  qkv(512, 128, 384, false),
  attn_proj(512, 128, 128, false),
  fc(512, 128, 512, false),
  proj(512, 512, 128, false),
  head(512, 128, 65, false),
  qkv_dW(128, 512, 384, true),
  qkv_dIn(512, 384, 128, false),
  attn_proj_dW(128, 512, 128, true),
  attn_proj_dIn(512, 128, 128, false),
  fc_dW(128, 512, 512, true),
  fc_dIn(512, 512, 128, false),
  proj_dW(512, 512, 128, true),
  proj_dIn(512, 128, 512, false),
  head_dW(128, 512, 65, true),
  head_dIn(512, 65, 128, false);

  public final int m;
  public final int k;
  public final int n;
  public final boolean accumulate;

  MatmulShape(int m, int k, int n, boolean accumulate) {
    this.m = m;
    this.k = k;
    this.n = n;
    this.accumulate = accumulate;
  }

  /** Floating-point operations of one call: one multiply and one add per (m, k, n). */
  public double flops() {
    return 2.0 * m * k * n;
  }

  /** Operands filled with uniform values in [-1, 1) from a fixed seed. */
  public float[][] operands(long seed) {
    Random r = new Random(seed);
    return new float[][] {fill(r, new float[m * k]), fill(r, new float[k * n]), fill(r, new float[m * n])};
  }

  static float[] fill(Random r, float[] x) {
    for (int i = 0; i < x.length; i++) {
      x[i] = r.nextFloat() * 2f - 1f;
    }
    return x;
  }

  static String[] names() {
    return Arrays.stream(values()).map(Enum::name).toArray(String[]::new);
  }
}
