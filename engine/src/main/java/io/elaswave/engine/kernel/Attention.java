package io.elaswave.engine.kernel;

/**
 * Causal multi-head self-attention on packed q|k|v rows. Each (sequence, head) is a handful of
 * {@link Gemm} products that read the head's [T, hs] columns of q|k|v (and of the output) in
 * place through strides, transposed where the product needs it; nothing is sliced or copied.
 * The causal mask zeroes weights above the diagonal, so products over the full square stay exact
 * (fma with a zero weight adds zero).
 */
public final class Attention {
  private Attention() {}

  /**
   * out[B,T,C] = attention(qkv[B,T,3C]); saves the softmax weights att[B,H,T,T] for backward.
   * {@code scratch} holds at least T·T floats (its contents are overwritten).
   */
  public static void forward(float[] out, float[] att, float[] qkv, int batch, int seq, int c, int heads,
      float[] scratch) {
    int hs = c / heads;
    float scale = (float) (1.0 / Math.sqrt(hs));
    float[] pre = scratch;
    int w = 3 * c;
    for (int b = 0; b < batch; b++) {
      int row = b * seq * w;
      for (int h = 0; h < heads; h++) {
        int q = row + h * hs;
        int k = q + c;
        int v = k + c;
        // pre[T,T] = Q · K^T
        Gemm.strided(pre, 0, seq, qkv, q, w, 1, qkv, k, 1, w, seq, hs, seq, false);
        int attOff = (b * heads + h) * seq * seq;
        CausalSoftmax.forward(att, attOff, pre, scale, seq);
        // out[:, h] = att · V
        Gemm.strided(out, b * seq * c + h * hs, c, att, attOff, seq, 1, qkv, v, w, 1, seq, seq, hs, false);
      }
    }
  }

  /** Allocating form of {@link #forward(float[], float[], float[], int, int, int, int, float[])}. */
  public static void forward(float[] out, float[] att, float[] qkv, int batch, int seq, int c, int heads) {
    forward(out, att, qkv, batch, seq, c, heads, new float[seq * seq]);
  }

  /**
   * dQkv[B,T,3C] (overwritten) from dOut[B,T,C], the saved att and the forward's qkv.
   * {@code scratch} holds at least 2·T·T floats.
   */
  public static void backward(float[] dQkv, float[] dOut, float[] qkv, float[] att,
      int batch, int seq, int c, int heads, float[] scratch) {
    int hs = c / heads;
    float scale = (float) (1.0 / Math.sqrt(hs));
    int sq = seq * seq;
    float[] dAtt = scratch; // [0, T·T)
    float[] dPre = scratch; // [T·T, 2·T·T)
    int w = 3 * c;
    for (int b = 0; b < batch; b++) {
      int row = b * seq * w;
      for (int h = 0; h < heads; h++) {
        int attOff = (b * heads + h) * sq;
        int dy = b * seq * c + h * hs;
        int q = row + h * hs;
        int k = q + c;
        int v = k + c;
        // dAtt[T,T] = dY · V^T
        Gemm.strided(dAtt, 0, seq, dOut, dy, c, 1, qkv, v, 1, w, seq, hs, seq, false);
        // dV[T,hs] = att^T · dY
        Gemm.strided(dQkv, v, w, att, attOff, 1, seq, dOut, dy, c, 1, seq, seq, hs, false);
        CausalSoftmax.backward(dPre, sq, att, attOff, dAtt, scale, seq);
        // dQ = dPre · K
        Gemm.strided(dQkv, q, w, dPre, sq, seq, 1, qkv, k, w, 1, seq, seq, hs, false);
        // dK = dPre^T · Q
        Gemm.strided(dQkv, k, w, dPre, sq, 1, seq, qkv, q, w, 1, seq, seq, hs, false);
      }
    }
  }

  /** Allocating form of the backward. */
  public static void backward(float[] dQkv, float[] dOut, float[] qkv, float[] att,
      int batch, int seq, int c, int heads) {
    backward(dQkv, dOut, qkv, att, batch, seq, c, heads, new float[2 * seq * seq]);
  }
}
