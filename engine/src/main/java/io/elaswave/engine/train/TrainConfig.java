package io.elaswave.engine.train;

import io.elaswave.engine.model.ModelConfig;
import io.elaswave.engine.optim.AdamWConfig;
import io.elaswave.engine.optim.LrSchedule;
import java.util.Properties;

/**
 * Everything that determines a training run's bits: model preset, seed, global batch shape
 * (G micro-batches × B sequences), optimiser and schedule. {@code decaySteps} is the schedule's
 * horizon; it stays fixed when a run is resumed with another step count.
 */
public record TrainConfig(
    String model,
    long seed,
    int steps,
    int microBatches,
    int microBatchSize,
    float lr,
    float minLr,
    int warmupSteps,
    int decaySteps,
    AdamWConfig adamW,
    int evalEvery,
    int evalBatches) {

  public TrainConfig {
    ModelConfig.requirePreset(model);
    require(steps >= 0, "--steps must be >= 0");
    require(microBatches >= 1, "--micro-batches must be >= 1");
    require(microBatchSize >= 1, "--micro-batch-size must be >= 1");
    require(lr > 0f && Float.isFinite(lr), "--lr must be a positive number");
    require(evalEvery >= 0, "--eval-every must be >= 0");
    require(evalBatches >= 1, "evalBatches must be >= 1");
    require(minLr >= 0f && minLr <= lr, "the minimum lr must be in [0, --lr]");
    require(warmupSteps >= 0 && decaySteps >= 1, "warm-up must be >= 0 and the schedule horizon >= 1");
  }

  /**
   * The defaults for a model preset: the documented starting point of every run. {@code small},
   * the quick start's job, runs 1 000 steps on a cosine over all of them with a validation every
   * 100: on two data-parallel ranks of a 2-core machine that is about four minutes to a
   * validation loss near 1.75 (the curve is in BENCHMARKS.md). {@code tiny} and {@code base}
   * keep 300 steps.
   */
  public static TrainConfig defaults(String model) {
    int batch = model.equals("tiny") ? 4 : 8;
    float lr = model.equals("base") ? 1e-3f : 3e-3f;
    int steps = model.equals("small") ? 1000 : 300;
    int evalEvery = model.equals("small") ? 100 : 0;
    return new TrainConfig(model, 1337, steps, 4, batch, lr, lr / 10f, 20, steps, AdamWConfig.defaults(), evalEvery,
        8);
  }

  public ModelConfig modelConfig(int vocab) {
    return ModelConfig.preset(model, vocab);
  }

  public LrSchedule schedule() {
    return new LrSchedule(lr, minLr, Math.min(warmupSteps, decaySteps), decaySteps);
  }

  /** Tokens in one step's global batch: the denominator of every micro-batch's loss scale. */
  public long tokensPerStep(int seqLen) {
    return (long) microBatches * microBatchSize * seqLen;
  }

  public TrainConfig withSteps(int newSteps) {
    return new TrainConfig(model, seed, newSteps, microBatches, microBatchSize, lr, minLr, warmupSteps, decaySteps,
        adamW, evalEvery, evalBatches);
  }

  /** The same job with G micro-batches per step (the global batch grows with it). */
  public TrainConfig withMicroBatches(int g) {
    return new TrainConfig(model, seed, steps, g, microBatchSize, lr, minLr, warmupSteps, decaySteps, adamW,
        evalEvery, evalBatches);
  }

  public TrainConfig withEvalEvery(int every) {
    return new TrainConfig(model, seed, steps, microBatches, microBatchSize, lr, minLr, warmupSteps, decaySteps,
        adamW, every, evalBatches);
  }

  public Properties toProperties() {
    Properties p = new Properties();
    p.setProperty("model", model);
    p.setProperty("seed", Long.toString(seed));
    p.setProperty("steps", Integer.toString(steps));
    p.setProperty("microBatches", Integer.toString(microBatches));
    p.setProperty("microBatchSize", Integer.toString(microBatchSize));
    p.setProperty("lr", Float.toString(lr));
    p.setProperty("minLr", Float.toString(minLr));
    p.setProperty("warmupSteps", Integer.toString(warmupSteps));
    p.setProperty("decaySteps", Integer.toString(decaySteps));
    p.setProperty("beta1", Float.toString(adamW.beta1()));
    p.setProperty("beta2", Float.toString(adamW.beta2()));
    p.setProperty("eps", Float.toString(adamW.eps()));
    p.setProperty("weightDecay", Float.toString(adamW.weightDecay()));
    p.setProperty("gradClip", Float.toString(adamW.gradClip()));
    p.setProperty("evalEvery", Integer.toString(evalEvery));
    p.setProperty("evalBatches", Integer.toString(evalBatches));
    return p;
  }

  public static TrainConfig fromProperties(Properties p) {
    try {
      return new TrainConfig(
          req(p, "model"),
          Long.parseLong(req(p, "seed")),
          Integer.parseInt(req(p, "steps")),
          Integer.parseInt(req(p, "microBatches")),
          Integer.parseInt(req(p, "microBatchSize")),
          Float.parseFloat(req(p, "lr")),
          Float.parseFloat(req(p, "minLr")),
          Integer.parseInt(req(p, "warmupSteps")),
          Integer.parseInt(req(p, "decaySteps")),
          new AdamWConfig(Float.parseFloat(req(p, "beta1")), Float.parseFloat(req(p, "beta2")),
              Float.parseFloat(req(p, "eps")), Float.parseFloat(req(p, "weightDecay")),
              Float.parseFloat(req(p, "gradClip"))),
          Integer.parseInt(req(p, "evalEvery")),
          Integer.parseInt(req(p, "evalBatches")));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad number in training config: " + e.getMessage(), e);
    }
  }

  private static String req(Properties p, String key) {
    String v = p.getProperty(key);
    if (v == null) {
      throw new IllegalArgumentException("training config lacks '" + key + "'");
    }
    return v;
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
