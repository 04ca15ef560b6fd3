package io.elaswave.multinode;

import io.elaswave.engine.data.Corpus;
import io.elaswave.engine.train.ReferenceTrainer;
import io.elaswave.engine.train.StepResult;
import io.elaswave.engine.train.TrainConfig;
import java.util.List;

/** The reference trainer's results for a config: what every distributed run must reproduce. */
final class ReferenceRun {
  private ReferenceRun() {}

  static List<StepResult> of(TrainConfig config) {
    return new ReferenceTrainer(config, Corpus.tinyShakespeare()).run(config.steps());
  }
}
