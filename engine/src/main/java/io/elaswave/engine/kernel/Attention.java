package io.elaswave.engine.kernel;

/**
 * Causal multi-head self-attention on packed q|k|v rows. Each (sequence, head) is a handful of
 * {@link Gemm} products over its [T, hs] slices; the causal mask zeroes weights above the
 * diagonal, so products over the full square stay exact (fma with a zero weight adds zero).
 */
public final class Attention {
  private Attention() {}

  /**
   * out[B,T,C] = attention(qkv[B,T,3C]); saves the softmax weights att[B,H,T,T] for backward.
   */
  public static void forward(float[] out, float[] att, float[] qkv, int batch, int seq, int c, int heads) {
    int hs = c / heads;
    float scale = (float) (1.0 / Math.sqrt(hs));
    float[] pre = new float[seq * seq];
    float[] y = new float[seq * hs];
    for (int b = 0; b < batch; b++) {
      for (int h = 0; h < heads; h++) {
        float[] q = slice(qkv, b, h * hs, seq, 3 * c, hs);
        float[] kT = sliceTransposed(qkv, b, c + h * hs, seq, 3 * c, hs);
        float[] v = slice(qkv, b, 2 * c + h * hs, seq, 3 * c, hs);
        Gemm.multiply(pre, q, kT, seq, hs, seq, false);
        int attOff = (b * heads + h) * seq * seq;
        causalSoftmax(att, attOff, pre, scale, seq);
        Gemm.multiply(y, 0, att, attOff, v, 0, seq, seq, hs, false);
        scatter(out, y, b, h * hs, seq, c, hs);
      }
    }
  }

  /** dQkv[B,T,3C] (overwritten) from dOut[B,T,C], the saved att and the forward's qkv. */
  public static void backward(float[] dQkv, float[] dOut, float[] qkv, float[] att,
      int batch, int seq, int c, int heads) {
    int hs = c / heads;
    float scale = (float) (1.0 / Math.sqrt(hs));
    float[] dAtt = new float[seq * seq];
    float[] dPre = new float[seq * seq];
    float[] part = new float[seq * hs];
    for (int b = 0; b < batch; b++) {
      for (int h = 0; h < heads; h++) {
        int attOff = (b * heads + h) * seq * seq;
        float[] dy = slice(dOut, b, h * hs, seq, c, hs);
        float[] q = slice(qkv, b, h * hs, seq, 3 * c, hs);
        float[] k = slice(qkv, b, c + h * hs, seq, 3 * c, hs);
        float[] vT = sliceTransposed(qkv, b, 2 * c + h * hs, seq, 3 * c, hs);
        float[] attT = Transpose.of(att, attOff, seq, seq);
        Gemm.multiply(dAtt, dy, vT, seq, hs, seq, false); // dAtt[T,T] = dY · V^T
        Gemm.multiply(part, attT, dy, seq, seq, hs, false); // dV[T,hs] = att^T · dY
        scatter(dQkv, part, b, 2 * c + h * hs, seq, 3 * c, hs);
        softmaxBackward(dPre, att, attOff, dAtt, scale, seq);
        Gemm.multiply(part, dPre, k, seq, seq, hs, false); // dQ = dPre · K
        scatter(dQkv, part, b, h * hs, seq, 3 * c, hs);
        float[] dPreT = Transpose.of(dPre, 0, seq, seq);
        Gemm.multiply(part, dPreT, q, seq, seq, hs, false); // dK = dPre^T · Q
        scatter(dQkv, part, b, c + h * hs, seq, 3 * c, hs);
      }
    }
  }

  /** att[t, t2] = softmax over t2 ≤ t of pre[t, t2] * scale; zero above the diagonal. */
  private static void causalSoftmax(float[] att, int off, float[] pre, float scale, int seq) {
    for (int t = 0; t < seq; t++) {
      int row = t * seq;
      float max = Float.NEGATIVE_INFINITY;
      for (int t2 = 0; t2 <= t; t2++) {
        max = Math.max(max, pre[row + t2] * scale);
      }
      float sum = 0f;
      for (int t2 = 0; t2 <= t; t2++) {
        float e = FloatMath.exp(pre[row + t2] * scale - max);
        att[off + row + t2] = e;
        sum += e;
      }
      float inv = 1f / sum;
      for (int t2 = 0; t2 < seq; t2++) {
        att[off + row + t2] = t2 <= t ? att[off + row + t2] * inv : 0f;
      }
    }
  }

  /** dPre[t, t2] = att[t,t2] (dAtt[t,t2] − Σ_{t3≤t} att[t,t3] dAtt[t,t3]) · scale, causal. */
  private static void softmaxBackward(float[] dPre, float[] att, int off, float[] dAtt, float scale, int seq) {
    for (int t = 0; t < seq; t++) {
      int row = t * seq;
      float dot = 0f;
      for (int t3 = 0; t3 <= t; t3++) {
        dot += att[off + row + t3] * dAtt[row + t3];
      }
      for (int t2 = 0; t2 < seq; t2++) {
        dPre[row + t2] = t2 <= t ? att[off + row + t2] * (dAtt[row + t2] - dot) * scale : 0f;
      }
    }
  }

  /** [T, width] copy of columns [col, col+width) of sequence b of a [B,T,stride] tensor. */
  private static float[] slice(float[] src, int b, int col, int seq, int stride, int width) {
    float[] out = new float[seq * width];
    for (int t = 0; t < seq; t++) {
      System.arraycopy(src, (b * seq + t) * stride + col, out, t * width, width);
    }
    return out;
  }

  /** [width, T]: the transpose of {@link #slice}. */
  private static float[] sliceTransposed(float[] src, int b, int col, int seq, int stride, int width) {
    float[] out = new float[width * seq];
    for (int t = 0; t < seq; t++) {
      int base = (b * seq + t) * stride + col;
      for (int i = 0; i < width; i++) {
        out[i * seq + t] = src[base + i];
      }
    }
    return out;
  }

  private static void scatter(float[] dst, float[] part, int b, int col, int seq, int stride, int width) {
    for (int t = 0; t < seq; t++) {
      System.arraycopy(part, t * width, dst, (b * seq + t) * stride + col, width);
    }
  }
}
