package io.elaswave.engine.train;

import io.elaswave.engine.data.Corpus;
import java.util.ArrayList;
import java.util.List;

/** Shared fixtures: the corpus loads once per test JVM. */
final class TinyRuns {
  static final Corpus CORPUS = Corpus.tinyShakespeare();

  private TinyRuns() {}

  static TrainConfig tiny(int steps) {
    return TrainConfig.defaults("tiny").withSteps(steps);
  }

  /** Runs {@code steps} more steps from {@code state}; returns their results. */
  static List<StepResult> run(ReferenceTrainer trainer, TrainState[] state, int steps) {
    List<StepResult> out = new ArrayList<>();
    for (int i = 0; i < steps; i++) {
      StepResult r = trainer.step(state[0]);
      state[0] = state[0].atStep(r.step());
      out.add(r);
    }
    return out;
  }

  static List<Long> digests(List<StepResult> results) {
    return results.stream().map(StepResult::digest).toList();
  }
}
