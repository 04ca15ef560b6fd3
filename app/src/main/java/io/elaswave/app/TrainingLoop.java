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
  private final RunWatch watch;

  TrainingLoop(TrainingDriver driver, Plan plan, MetricsWriter metrics, ProgressReporter progress,
      LongSupplier clock) {
    this(driver, plan, metrics, progress, clock, RunWatch.NONE);
  }

  /** As above, telling {@code watch} (the driver's HTTP endpoints) of every step and event too. */
  TrainingLoop(TrainingDriver driver, Plan plan, MetricsWriter metrics, ProgressReporter progress,
      LongSupplier clock, RunWatch watch) {
    this.driver = driver;
    this.plan = plan;
    this.metrics = metrics;
    this.progress = progress;
    this.clock = clock;
    this.watch = watch;
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
    watch.started(driver.description(), firstStep, plan.lastStep());
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
        watch.event(e);
      }
      metrics.step(r, dt, driver);
      watch.step(r, dt, driver);
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
    report(new RunEvent.Done(System.currentTimeMillis(), summary.lastStep(), summary.loss(), summary.valLoss(),
        Math.round(summary.seconds() * 1000) / 1000.0, summary.digest()));
    progress.summary(summary);
    return summary;
  }

  private static boolean due(long step, int every) {
    return every > 0 && step % every == 0;
  }

  private float evaluate(long step) {
    float valLoss = driver.evaluate();
    report(new RunEvent.Eval(System.currentTimeMillis(), step, valLoss));
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
    report(new RunEvent.Checkpoint(System.currentTimeMillis(), h.step(), MetricsWriter.display(dir)));
    progress.checkpoint(h.step(), dir);
    return new JobException(h.getMessage() + "; its state after step " + h.step() + " is checkpointed in " + dir
        + ": continue with --resume " + dir);
  }

  /** An event of the loop's own, to the metrics file and the watcher. */
  private void report(RunEvent e) {
    metrics.event(e);
    watch.event(e);
  }

  /** Where a halted run's checkpoint goes when the run was given no --checkpoint-dir. */
  static final Path HALT_DIR = Path.of("elaswave-checkpoints");

  private void checkpoint(long step) {
    Path dir = driver.writeCheckpoint(plan.checkpointDir());
    report(new RunEvent.Checkpoint(System.currentTimeMillis(), step, MetricsWriter.display(dir)));
    progress.checkpoint(step, dir);
  }
}
