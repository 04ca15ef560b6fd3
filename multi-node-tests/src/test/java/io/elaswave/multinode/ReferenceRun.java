package io.elaswave.multinode;

import io.elaswave.engine.data.Corpus;
import io.elaswave.engine.train.ReferenceTrainer;
import io.elaswave.engine.train.StepResult;
import io.elaswave.engine.train.TrainConfig;
import io.elaswave.engine.train.TrainState;
import java.util.ArrayList;
import java.util.List;

/** The reference trainer's results for a config: what every distributed run must reproduce. */
final class ReferenceRun {
  private ReferenceRun() {}

  static List<StepResult> of(TrainConfig config) {
    ReferenceTrainer trainer = new ReferenceTrainer(config, Corpus.tinyShakespeare());
    TrainState state = trainer.initialState();
    List<StepResult> out = new ArrayList<>();
    for (int i = 0; i < config.steps(); i++) {
      StepResult r = trainer.step(state);
      state = state.atStep(r.step());
      out.add(r);
    }
    return out;
  }
}
