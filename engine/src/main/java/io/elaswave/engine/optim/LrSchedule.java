package io.elaswave.engine.optim;

/**
 * Linear warm-up to {@code maxLr} over {@code warmupSteps}, then cosine decay to {@code minLr}
 * at {@code decaySteps}, flat after. A pure function of the 1-based step.
 */
public record LrSchedule(float maxLr, float minLr, int warmupSteps, int decaySteps) {
  public LrSchedule {
    if (!(maxLr > 0f) || minLr < 0f || minLr > maxLr) {
      throw new IllegalArgumentException("need 0 <= minLr <= maxLr and maxLr > 0");
    }
    if (warmupSteps < 0 || decaySteps < 1) {
      throw new IllegalArgumentException("need warmupSteps >= 0 and decaySteps >= 1");
    }
  }

  public float at(long step) {
    if (step <= warmupSteps) {
      return (float) ((double) maxLr * step / warmupSteps);
    }
    double span = Math.max(1, decaySteps - warmupSteps);
    double progress = Math.min(1.0, (step - warmupSteps) / span);
    return (float) (minLr + 0.5 * (maxLr - minLr) * (1.0 + StrictMath.cos(StrictMath.PI * progress)));
  }
}
