package io.elaswave.app;

import io.elaswave.engine.train.TrainConfig;
import java.util.Objects;

/**
 * The {@code train} flags that shape a {@link TrainConfig}, each null unless given explicitly.
 * A fresh run lays them over the preset's defaults; a resumed run takes the checkpoint's config
 * and accepts only the flags that cannot change its numerics. Failures are
 * {@link IllegalArgumentException}s whose message names the flag.
 */
record ConfigOverrides(
    String model, Integer steps, Integer microBatches, Integer microBatchSize, Long seed, Float lr,
    Integer evalEvery) {

  static final String DEFAULT_MODEL = "small";

  /**
   * The preset's defaults with the given flags on top. {@code --steps} only says where to stop:
   * the schedule's horizon stays the preset's, so a shorter run is a prefix of a longer one.
   * {@code --lr} sets the peak and keeps the preset's floor ratio (min lr = lr / 10).
   */
  TrainConfig fresh() {
    String name = model == null ? DEFAULT_MODEL : model;
    TrainConfig d;
    try {
      d = TrainConfig.defaults(name);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid value for --model: " + e.getMessage(), e);
    }
    float peak = lr == null ? d.lr() : lr;
    float floor = lr == null ? d.minLr() : lr / 10f;
    TrainConfig config = new TrainConfig(name, or(seed, d.seed()), or(steps, d.steps()),
        or(microBatches, d.microBatches()), or(microBatchSize, d.microBatchSize()), peak, floor, d.warmupSteps(),
        d.decaySteps(), d.adamW(), or(evalEvery, d.evalEvery()), d.evalBatches());
    config.schedule(); // the engine builds the schedule lazily; fail here, not at step 1
    return config;
  }

  /**
   * The checkpoint's config with this run's stop step and evaluation cadence. Numerics flags must
   * agree with the checkpoint; the schedule's horizon always stays the checkpoint's.
   */
  TrainConfig resumed(TrainConfig checkpoint, long checkpointStep) {
    same("--model", model, checkpoint.model());
    same("--micro-batches", microBatches, checkpoint.microBatches());
    same("--micro-batch-size", microBatchSize, checkpoint.microBatchSize());
    same("--seed", seed, checkpoint.seed());
    same("--lr", lr, checkpoint.lr());
    TrainConfig config = checkpoint.withSteps(or(steps, checkpoint.steps()));
    if (evalEvery != null) {
      config = config.withEvalEvery(evalEvery);
    }
    if (config.steps() < checkpointStep) {
      throw new IllegalArgumentException("--steps " + config.steps() + " is before the checkpoint's step "
          + checkpointStep);
    }
    return config;
  }

  private static void same(String flag, Object given, Object stored) {
    // Float.equals compares bits, which is what "the same numerics" means for --lr.
    if (given != null && !Objects.equals(given, stored)) {
      throw new IllegalArgumentException(flag + " " + given + " conflicts with the checkpoint's " + stored
          + "; when resuming, omit " + flag + " or give the checkpoint's value");
    }
  }

  private static <T> T or(T value, T fallback) {
    return value != null ? value : fallback;
  }
}
