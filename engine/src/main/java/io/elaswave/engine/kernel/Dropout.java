package io.elaswave.engine.kernel;

import io.elaswave.engine.rng.CounterRng;
import io.elaswave.engine.rng.Purpose;

/**
 * Inverted dropout whose mask is a pure function of (seed, step, sample, layer, element):
 * whichever rank runs a micro-batch draws the same mask (DESIGN.md §6.2).
 */
public final class Dropout {
  private Dropout() {}

  /** Identifies one dropout site's mask inside a micro-batch. */
  public record Key(long seed, long step, long firstSample, int layer, int site) {}

  /**
   * out[B,T,C] = in * mask / (1 − p); returns the keep mask [B*T*C] (all true when p = 0).
   * Sample b of the micro-batch has global in-step sample id firstSample + b.
   */
  public static boolean[] forward(float[] out, float[] in, float p, Key key, int batch, int perSample) {
    return forward(out, in, p, key, batch, perSample, new boolean[batch * perSample]);
  }

  /** As above, the mask written into {@code keep} (at least B*T*C flags) and returned. */
  public static boolean[] forward(float[] out, float[] in, float p, Key key, int batch, int perSample,
      boolean[] keep) {
    float scale = 1f / (1f - p);
    for (int b = 0; b < batch; b++) {
      long sample = key.firstSample() + b;
      for (int e = 0; e < perSample; e++) {
        int i = b * perSample + e;
        long element = (long) key.site() * perSample + e;
        keep[i] = p == 0f
            || CounterRng.uniform(key.seed(), Purpose.DROPOUT, key.step(), sample, key.layer(), element) >= p;
        out[i] = keep[i] ? in[i] * scale : 0f;
      }
    }
    return keep;
  }

  /** dIn = dOut * mask / (1 − p) (overwritten). */
  public static void backward(float[] dIn, float[] dOut, boolean[] keep, float p) {
    float scale = 1f / (1f - p);
    for (int i = 0; i < dIn.length; i++) {
      dIn[i] = keep[i] ? dOut[i] * scale : 0f;
    }
  }
}
