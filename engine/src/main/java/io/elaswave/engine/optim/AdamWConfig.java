package io.elaswave.engine.optim;

/** AdamW hyper-parameters; {@code gradClip} ≤ 0 turns clipping off. */
public record AdamWConfig(float beta1, float beta2, float eps, float weightDecay, float gradClip) {
  public static AdamWConfig defaults() {
    return new AdamWConfig(0.9f, 0.95f, 1e-8f, 0.1f, 1.0f);
  }

  public AdamWConfig {
    if (!(beta1 >= 0f && beta1 < 1f && beta2 >= 0f && beta2 < 1f)) {
      throw new IllegalArgumentException("betas must be in [0, 1)");
    }
    if (!(eps > 0f) || weightDecay < 0f) {
      throw new IllegalArgumentException("eps must be > 0 and weight decay >= 0");
    }
  }
}
