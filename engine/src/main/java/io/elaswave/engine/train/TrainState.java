package io.elaswave.engine.train;

/**
 * The full training state after {@code step} committed steps: per-layer parameters and AdamW
 * moments. Mutable arrays, owned by one trainer at a time.
 */
public record TrainState(long step, float[][] params, float[][] m, float[][] v) {
  /** A fresh state at step 0 with zero moments. */
  public static TrainState fresh(float[][] params) {
    float[][] m = new float[params.length][];
    float[][] v = new float[params.length][];
    for (int i = 0; i < params.length; i++) {
      m[i] = new float[params[i].length];
      v[i] = new float[params[i].length];
    }
    return new TrainState(0, params, m, v);
  }

  public TrainState atStep(long newStep) {
    return new TrainState(newStep, params, m, v);
  }
}
