package io.elaswave.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.elaswave.actors.client.JobException;
import io.elaswave.actors.client.JobHaltedException;
import io.elaswave.engine.data.Corpus;
import io.elaswave.engine.optim.AdamWConfig;
import io.elaswave.engine.train.Checkpoint;
import io.elaswave.engine.train.StepResult;
import io.elaswave.engine.train.TrainConfig;
import io.elaswave.protocol.runtime.DriverMessage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A job that halts (its journal gone) leaves a checkpoint of the state it halted with, and says where. */
class TrainingLoopTest {
  private static final TrainConfig CONFIG =
      new TrainConfig("tiny", 1337, 6, 2, 2, 3e-3f, 3e-4f, 2, 20, AdamWConfig.defaults(), 0, 2);

  @Test void aHaltedJobIsCheckpointedAndTheRunSaysWhereToResumeFrom(@TempDir Path dir) throws Exception {
    try (ReferenceDriver reference = ReferenceDriver.fresh(CONFIG, Corpus.tinyShakespeare());
        TrainingDriver halting = new HaltsAfter(reference, 3)) {
      StringWriter printed = new StringWriter();
      PrintWriter out = new PrintWriter(printed);
      var loop = new TrainingLoop(halting, new TrainingLoop.Plan(CONFIG.steps(), 0, dir.resolve("ck"), 0),
          MetricsWriter.none(), new ProgressReporter(out, System::nanoTime, 0, CONFIG.steps()), System::nanoTime);
      JobException e = assertThrows(JobException.class, loop::run);
      assertTrue(e.getMessage().contains("halted after step 3: the journal is gone"), e.getMessage());
      Path written = dir.resolve("ck").resolve("step-000003");
      assertTrue(e.getMessage().endsWith("continue with --resume " + written), e.getMessage());
      Checkpoint back = Checkpoint.read(written);
      assertEquals(3, back.state().step());
      assertEquals(reference.digest(), ReferenceDriver.resume(CONFIG, Corpus.tinyShakespeare(), back, written)
          .digest(), "the checkpoint holds the state the job halted with");
    }
  }

  /** Runs the reference, then answers as a halted job would once {@code haltAfter} is computed. */
  private record HaltsAfter(TrainingDriver inner, long haltAfter) implements TrainingDriver {
    @Override public String description() {
      return "halts after step " + haltAfter;
    }

    @Override public long committedSteps() {
      return Math.min(inner.committedSteps(), haltAfter - 1);
    }

    @Override public StepResult step() {
      StepResult r = inner.step();
      if (r.step() == haltAfter) {
        throw new JobHaltedException(new DriverMessage.JobHalted("the journal is gone", haltAfter));
      }
      return r;
    }

    @Override public float evaluate() {
      return inner.evaluate();
    }

    @Override public Path writeCheckpoint(Path root) {
      return inner.writeCheckpoint(root);
    }

    @Override public long digest() {
      return inner.digest();
    }

    @Override public io.elaswave.engine.train.TrainState committedState() {
      return inner.committedState();
    }

    @Override public void close() {
      inner.close();
    }
  }
}
