package io.elaswave.app;

import io.elaswave.actors.client.JobException;
import io.elaswave.actors.client.JobHaltedException;
import io.elaswave.engine.train.StepResult;
import java.nio.file.Path;
import java.util.function.LongSupplier;

/**
 * Steps a {@link TrainingDriver} to the plan's last step, reporting every committed step to the
 * metrics file and the terminal, evaluating every {@code evalEvery} steps and checkpointing every
 * {@code checkpointEvery} steps. It always evaluates the final state, and checkpoints it when
 * this invocation ran a step that is not yet checkpointed.
 */
final class TrainingLoop {
  /**
   * What to do: {@code evalEvery} and {@code checkpointEvery} of 0 mean only at the end;
   * {@code checkpointDir} null means no checkpoints.
   */
  record Plan(long lastStep, int evalEvery, Path checkpointDir, int checkpointEvery) {}

  private final TrainingDriver driver;
  private final Plan plan;
  private final MetricsWriter metrics;
  private final ProgressReporter progress;
  private final LongSupplier clock;

  TrainingLoop(TrainingDriver driver, Plan plan, MetricsWriter metrics, ProgressReporter progress,
      LongSupplier clock) {
    this.driver = driver;
    this.plan = plan;
    this.metrics = metrics;
    this.progress = progress;
    this.clock = clock;
  }

  RunSummary run() {
    long start = clock.getAsLong();
    long firstStep = driver.committedSteps();
    float loss = Float.NaN;
    float valLoss = Float.NaN;
    long evaluatedAt = -1;
    long checkpointedAt = -1;
    long stepNanos = 0;
    long tokens = 0;
    while (driver.committedSteps() < plan.lastStep()) {
      long t0 = clock.getAsLong();
      StepResult r;
      try {
        r = driver.step();
      } catch (JobHaltedException h) {
        throw halted(h);
      }
      long dt = clock.getAsLong() - t0;
      stepNanos += dt;
      tokens += r.tokens();
      loss = r.loss();
      for (RunEvent e : driver.drainEvents()) {
        metrics.event(e);
        progress.event(e);
      }
      metrics.step(r, dt, driver);
      progress.step(r, dt);
      if (due(r.step(), plan.evalEvery())) {
        valLoss = evaluate(r.step());
        evaluatedAt = r.step();
      }
      if (plan.checkpointDir() != null && due(r.step(), plan.checkpointEvery())) {
        checkpoint(r.step());
        checkpointedAt = r.step();
      }
    }
    long lastStep = driver.committedSteps();
    if (evaluatedAt != lastStep) {
      valLoss = evaluate(lastStep);
    }
    if (plan.checkpointDir() != null && checkpointedAt != lastStep && lastStep > firstStep) {
      checkpoint(lastStep);
    }
    RunSummary summary = new RunSummary(firstStep, lastStep, loss, valLoss, driver.digest(),
        clock.getAsLong() - start, stepNanos, tokens);
    metrics.done(summary);
    progress.summary(summary);
    return summary;
  }

  private static boolean due(long step, int every) {
    return every > 0 && step % every == 0;
  }

  private float evaluate(long step) {
    float valLoss = driver.evaluate();
    metrics.eval(step, valLoss);
    progress.eval(step, valLoss);
    return valLoss;
  }

  /**
   * The job halted with its ranks' state intact: checkpointed (under --checkpoint-dir, else
   * {@link #HALT_DIR}) so the run can be resumed, and reported as the run's failure.
   */
  private JobException halted(JobHaltedException h) {
    Path root = plan.checkpointDir() != null ? plan.checkpointDir() : HALT_DIR;
    Path dir;
    try {
      dir = driver.writeCheckpoint(root);
    } catch (RuntimeException e) {
      return new JobException(h.getMessage() + "; its state could not be checkpointed: " + e.getMessage(), e);
    }
    metrics.checkpoint(h.step(), dir);
    progress.checkpoint(h.step(), dir);
    return new JobException(h.getMessage() + "; its state after step " + h.step() + " is checkpointed in " + dir
        + ": continue with --resume " + dir);
  }

  /** Where a halted run's checkpoint goes when the run was given no --checkpoint-dir. */
  static final Path HALT_DIR = Path.of("elaswave-checkpoints");

  private void checkpoint(long step) {
    Path dir = driver.writeCheckpoint(plan.checkpointDir());
    metrics.checkpoint(step, dir);
    progress.checkpoint(step, dir);
  }
}
