package io.elaswave.app;

import io.elaswave.engine.train.StepResult;
import java.util.List;

/**
 * Someone watching a run as it goes (the driver's {@code /metrics} and {@code /status}): told of
 * every committed step and every {@link RunEvent}, on the training loop's thread, after the
 * metrics file. A watcher must not block; whoever reads what it keeps does so from other threads.
 */
public interface RunWatch {
  /** A watcher that ignores everything: a run without {@code --http-port}. */
  RunWatch NONE = new RunWatch() {};

  /** Before the first step: what runs, the step it resumes after and the step it ends at. */
  default void started(String description, long committedStep, long lastStep) {}

  /** {@code driver} committed {@code r} in {@code stepNanos} of the loop's clock. */
  default void step(StepResult r, long stepNanos, TrainingDriver driver) {}

  default void event(RunEvent e) {}

  /** Every one of {@code watchers}, in order. */
  static RunWatch all(List<RunWatch> watchers) {
    List<RunWatch> copy = List.copyOf(watchers);
    return new RunWatch() {
      @Override public void started(String description, long committedStep, long lastStep) {
        copy.forEach(w -> w.started(description, committedStep, lastStep));
      }

      @Override public void step(StepResult r, long stepNanos, TrainingDriver driver) {
        copy.forEach(w -> w.step(r, stepNanos, driver));
      }

      @Override public void event(RunEvent e) {
        copy.forEach(w -> w.event(e));
      }
    };
  }
}
