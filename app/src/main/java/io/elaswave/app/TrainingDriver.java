package io.elaswave.app;

import io.elaswave.engine.train.StepResult;
import java.nio.file.Path;

/**
 * Whatever executes training steps behind the {@link TrainingLoop}. The loop owns reporting,
 * evaluation cadence and checkpoint cadence; a driver only steps, evaluates and persists its
 * state, so the distributed runtime can slot in beside the reference trainer.
 */
public interface TrainingDriver extends AutoCloseable {
  /** One line for the progress header: which trainer, model, batch shape, seed. */
  String description();

  /** Steps committed so far; the next {@link #step()} commits step {@code committedSteps() + 1}. */
  long committedSteps();

  /** Runs and commits the next step. */
  StepResult step();

  /** Mean validation loss of the committed state. */
  float evaluate();

  /** Writes a checkpoint of the committed state under {@code root}; returns its directory. */
  Path writeCheckpoint(Path root);

  /** The model digest of the committed state. */
  long digest();

  /** The committed state, gathered whole (for the sample printed under the summary). */
  io.elaswave.engine.train.TrainState committedState();

  /** Events since the last call (a kill, a recovery); the loop reports them before the step. */
  default java.util.List<RunEvent> drainEvents() {
    return java.util.List.of();
  }

  /** The layout the last step ran under (e.g. {@code dp2xpp2@epoch1}), or null for the reference. */
  default String layout() {
    return null;
  }

  /**
   * The last step's modelled energy, joules, for a runtime driver (see PowerModel: from measured
   * busy and wall time at each node's clock; on emulated accelerators modelled, not metered).
   */
  default java.util.Optional<Double> energyJoules() {
    return java.util.Optional.empty();
  }

  /** Where the last step's time went, for a runtime driver; empty for the reference. */
  default java.util.Optional<io.elaswave.protocol.runtime.DriverMessage.StepPhases> phases() {
    return java.util.Optional.empty();
  }

  /** The last commit as the scheduler reported it (traffic, placement, clocks), for a runtime driver. */
  default java.util.Optional<io.elaswave.protocol.runtime.DriverMessage.StepCommitted> lastCommit() {
    return java.util.Optional.empty();
  }

  /** Each local node's CPU budget in cores now, for nodes that have one. */
  default java.util.Map<String, Double> nodeBudgets() {
    return java.util.Map.of();
  }

  /** The cluster's members as this driver sees them now; none for the reference trainer. */
  default java.util.List<io.elaswave.app.observe.ClusterMember> members() {
    return java.util.List.of();
  }

  @Override
  default void close() {}
}
