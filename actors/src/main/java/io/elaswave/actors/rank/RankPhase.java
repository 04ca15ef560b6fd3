package io.elaswave.actors.rank;

/**
 * Where a rank is between messages. A rank without a layout is {@link Unplaced} (or, when it
 * joins, {@link Reconfiguring}); with one it is {@link Idle} between steps, {@link Stepping} while
 * a step runs and {@link Reconfiguring} while it moves to a new layout. A step and a layout change
 * never overlap: a Reconfigure abandons the step first. A rank the layout keeps on standby (a
 * baseline policy's spare or stand-in) is {@link Standby} between layout changes.
 */
sealed interface RankPhase {
  /** No layout yet: tensors from peers wait. */
  record Unplaced() implements RankPhase {}

  /** In the layout's directory with no stage: it holds no state, runs no step and takes the next layout. */
  record Standby() implements RankPhase {}

  /** A layout, no step running. */
  record Idle() implements RankPhase {}

  /** Running {@code run.step}: 1F1B, reduce-scatter, update, all-gather. */
  record Stepping(StepRun run) implements RankPhase {}

  /** Moving to layout {@code pending.epoch()}: waiting for transfers, then installing it. */
  record Reconfiguring(Reconfiguration.Pending pending) implements RankPhase {}
}
