package io.elaswave.engine.optim;

/** Global gradient-norm clipping from per-block sums of squares. */
public final class GradClip {
  private GradClip() {}

  /** Σ g² over grads[from, to), in order, in double. */
  public static double blockSumOfSquares(float[] grads, int from, int to) {
    double s = 0.0;
    for (int i = from; i < to; i++) {
      double g = grads[i];
      s += g * g;
    }
    return s;
  }

  /** Global norm from block sums given in canonical (layer, block) order. */
  public static double norm(double[] blockSums) {
    double total = 0.0;
    for (double s : blockSums) {
      total += s;
    }
    return Math.sqrt(total);
  }

  /** The factor every gradient is multiplied by: 1, or clip / norm when the norm exceeds clip. */
  public static float scale(double norm, float clip) {
    return clip > 0f && norm > clip ? (float) (clip / norm) : 1f;
  }
}
