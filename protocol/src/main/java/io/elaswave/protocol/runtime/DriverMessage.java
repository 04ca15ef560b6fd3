package io.elaswave.protocol.runtime;

import io.elaswave.protocol.KryoMessage;
import java.util.List;

/** What the scheduler and ranks answer the driver that paces a job. */
public sealed interface DriverMessage extends KryoMessage {

  /** The job runs under {@code layout}, resumed at {@code step} (0 for a fresh start). */
  record JobStarted(String layout, long step) implements DriverMessage {}

  /** The job cannot start; the reason says why. */
  record JobRejected(String reason) implements DriverMessage {}

  /**
   * Step {@code step} is committed. {@code bytes} and {@code messages} count the rank-to-rank
   * tensor traffic of the step; {@code recoveries} lists membership changes since the last commit;
   * {@code phases} says where the step's time went; {@code energyJoules} is the step's modelled
   * energy over the working ranks' devices (see {@code PowerModel}: from measured busy and wall
   * time at each node's clock, not metered); {@code busy} is each working rank's kernel time at
   * its clock (what its stage's bubble is measured from); {@code clocks} lists clock plans applied
   * since the last commit; {@code staleDropped} counts the tensors ranks dropped as stale (an older
   * epoch or step) and {@code snapshotBytes} the bytes replicated to snapshot buddies in the step.
   */
  record StepCommitted(long step, float loss, long digest, float lr, double gradNorm, long tokens, String layout,
      long bytes, long messages, List<Recovery> recoveries, StepPhases phases, double energyJoules,
      List<RankBusy> busy, List<ClocksPlanned> clocks, long staleDropped, long snapshotBytes)
      implements DriverMessage {
    /** A commit without energy figures or clock plans. */
    public StepCommitted(long step, float loss, long digest, float lr, double gradNorm, long tokens, String layout,
        long bytes, long messages, List<Recovery> recoveries, StepPhases phases) {
      this(step, loss, digest, lr, gradNorm, tokens, layout, bytes, messages, recoveries, phases, 0, List.of(),
          List.of(), 0, 0);
    }
  }

  /** Rank {@code rank} of stage {@code stage} (replica {@code replica}) on {@code node} computed {@code busyMillis} of the step at {@code clock}. */
  record RankBusy(int rank, int replica, int stage, String node, double clock, double busyMillis) {}

  /**
   * The scheduler chose clocks for layout {@code epoch} under {@code mode} and asked each node's
   * governor for them: by node, why, and the modelled step (milliseconds at the measured costs)
   * and mean power (watts) with every node nominal and as planned.
   */
  record ClocksPlanned(long epoch, String mode, List<NodeClock> clocks, String reason, double nominalMillis,
      double plannedMillis, double nominalWatts, double plannedWatts) implements DriverMessage {}

  /** One node's planned clock. */
  record NodeClock(String node, double clock) {}

  /**
   * Where a step's wall time went, in milliseconds on the slowest rank of each phase (so the
   * phases overlap and need not add up): {@code kernel} the most forward and backward kernel time
   * of any rank, {@code compute} until a rank's gradients were out (kernels plus pipeline waits),
   * {@code reduce} reduce-scatter and the norm round trip, {@code update} the AdamW update,
   * {@code gather} all-gather and the snapshot ack, {@code ledger} writing the commit, and
   * {@code gc} the most garbage-collection time of any rank's JVM; {@code step} is the whole, on
   * the scheduler's clock from RunStep to commit.
   */
  record StepPhases(double step, double kernel, double compute, double reduce, double update, double gather,
      double ledger, double gc) {
    public static StepPhases none() {
      return new StepPhases(0, 0, 0, 0, 0, 0, 0, 0);
    }
  }

  /** A batch of the training state after {@code step}; {@code total} blocks make the whole state. */
  record StateBlocks(long step, int total, List<StateBlock> blocks) implements DriverMessage {}

  /** The scheduler hears from {@code node}; a running job takes it at the next step boundary. */
  record NodeKnown(io.elaswave.planner.NodeId node) implements DriverMessage {}

  /**
   * The job's policy restarts it (the checkpoint-restart baseline): the job ended after committing
   * {@code committed} and its ranks stopped; the driver starts it again as dp × pp from its last
   * durable checkpoint and redoes the steps since.
   */
  record RestartRequired(String reason, int dp, int pp, long committed) implements DriverMessage {}

  /**
   * The job cannot go on — its ledger's journal stayed unreachable past the outage limit — but
   * its ranks are kept: they hold the state after step {@code step} (computed, never committed),
   * which the driver may still collect into a checkpoint before it stops the job.
   */
  record JobHalted(String reason, long step) implements DriverMessage {}

  /** The job ended and its ranks stopped. */
  record JobStopped() implements DriverMessage {}
}
