package io.elaswave.app;

import io.elaswave.engine.data.Corpus;
import io.elaswave.engine.model.ModelConfig;
import io.elaswave.engine.train.ReferenceTrainer;
import io.elaswave.engine.train.TrainConfig;

/**
 * A joining node's warm-up, before it offers itself to the scheduler: a few training steps of the
 * job's model on its own copy of the data, through the same engine code its ranks will run, so
 * the JIT has compiled the kernels before the node is counted — the old layout keeps training
 * meanwhile, and the steps after the join are not dragged by a cold node. The steps' results are
 * thrown away; nothing of them reaches the job.
 */
final class KernelWarmup {
  static final int DEFAULT_STEPS = 3;

  private KernelWarmup() {}

  /** Runs {@code steps} steps of {@code model}; returns the seconds taken. */
  static double run(String model, int steps) {
    if (!ModelConfig.PRESETS.contains(model)) {
      throw new InputException("--warm-model must be one of " + ModelConfig.PRESETS + ", got '" + model + "'");
    }
    if (steps < 1 || steps > 100) {
      throw new InputException("--warm-steps must be in [1, 100], got " + steps);
    }
    long t0 = System.nanoTime();
    TrainConfig config = TrainConfig.defaults(model).withSteps(steps);
    new ReferenceTrainer(config, Corpus.tinyShakespeare()).run(steps);
    return (System.nanoTime() - t0) / 1e9;
  }
}
