package io.elaswave.multinode;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.elaswave.engine.data.Corpus;
import io.elaswave.engine.param.Digest;
import io.elaswave.engine.train.ReferenceTrainer;
import io.elaswave.engine.train.StepResult;
import io.elaswave.engine.train.TrainConfig;
import io.elaswave.protocol.runtime.DriverMessage;
import java.util.List;

/** The reference trainer's results for a config: what every distributed run must reproduce. */
final class ReferenceRun {
  private ReferenceRun() {}

  static List<StepResult> of(TrainConfig config) {
    return new ReferenceTrainer(config, Corpus.tinyShakespeare()).run(config.steps());
  }

  /** Every step of the run committed, with the reference's loss and digest, bit for bit. */
  static void assertMatches(TrainConfig config, FaultScript.Outcome outcome) {
    List<StepResult> expected = of(config);
    assertEquals(expected.size(), outcome.commits().size(), "steps committed");
    for (StepResult want : expected) {
      DriverMessage.StepCommitted got = outcome.commits().get(want.step());
      assertEquals(Digest.hex(want.digest()), Digest.hex(got.digest()), "digest of step " + want.step());
      assertEquals(Float.floatToRawIntBits(want.loss()), Float.floatToRawIntBits(got.loss()), "loss of step "
          + want.step());
    }
  }
}
