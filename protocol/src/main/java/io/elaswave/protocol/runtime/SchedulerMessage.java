package io.elaswave.protocol.runtime;

import io.elaswave.planner.NodeId;
import io.elaswave.planner.RankId;
import io.elaswave.protocol.KryoMessage;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;

/** The scheduler's protocol: the driver paces it, nodes offer capacity, ranks report. */
public sealed interface SchedulerMessage extends KryoMessage {

  /** Plan and start a job on the available nodes; answered by JobStarted or JobRejected. */
  record StartJob(JobSpec job, ActorRef<DriverMessage> replyTo) implements SchedulerMessage {}

  /** Run and commit step {@code step}; answered by StepCommitted (idempotent for a committed step). */
  record RunNextStep(long step, ActorRef<DriverMessage> replyTo) implements SchedulerMessage {}

  /** Stream the full training state to {@code replyTo} as StateBlocks. */
  record CollectState(ActorRef<DriverMessage> replyTo) implements SchedulerMessage {}

  /** End the job: ranks stop; answered by JobStopped. */
  record StopJob(ActorRef<DriverMessage> replyTo) implements SchedulerMessage {}

  /** The scheduler's own reminder: job {@code attempt} has waited its start-timeout for room. */
  record StartTimedOut(long attempt) implements SchedulerMessage {}

  /**
   * A node guardian's heartbeat, every ~100 ms: it offers room for {@code capacity} ranks, says
   * how to confirm its death (its process id, and the host:port its JVM listens on), and lists
   * the ranks it runs, so a scheduler that took over on another node finds them; and its clock:
   * the governor it has, the range it can set and the clock now; and the port of its lifeline
   * listener on the same host (0: none), which the scheduler dials to hear of its death at once.
   */
  record NodeAvailable(NodeId node, int capacity, long pid, String address, List<RankRefs> ranks,
      ActorRef<NodeMessage> guardian, ClockInfo clock, int lifeline) implements SchedulerMessage {
    /** A heartbeat of a node without a lifeline. */
    public NodeAvailable(NodeId node, int capacity, long pid, String address, List<RankRefs> ranks,
        ActorRef<NodeMessage> guardian, ClockInfo clock) {
      this(node, capacity, pid, address, ranks, guardian, clock, 0);
    }

    /** A heartbeat of a node without a governor or a lifeline. */
    public NodeAvailable(NodeId node, int capacity, long pid, String address, List<RankRefs> ranks,
        ActorRef<NodeMessage> guardian) {
      this(node, capacity, pid, address, ranks, guardian, ClockInfo.FIXED);
    }
  }

  /** A node's governor set the clock {@link NodeMessage.SetClock} asked for: {@code clock} is what it reads back; {@code error} empty unless it could not. */
  record ClockSet(NodeId node, long epoch, double clock, String error) implements SchedulerMessage {}

  /**
   * The driver sets the job's frequency mode ({@code off}, {@code energy}, {@code power-cap=W}):
   * the clocks are planned again at the next commit (at once back to nominal for {@code off}).
   */
  record SetFrequency(String mode) implements SchedulerMessage {}

  /** Answer with NodeKnown once the scheduler has heard from {@code node} (a joining node). */
  record AwaitNode(NodeId node, ActorRef<DriverMessage> replyTo) implements SchedulerMessage {}

  /**
   * The job ledger's state, read when a scheduler starts (after a fail-over it is the job the
   * previous scheduler ran): the layout every rank installed last, the newest epoch any plan was
   * adopted under (a change may have been under way), the committed step and its digests; spec
   * and layout are null when no job is active.
   */
  record LedgerLoaded(JobSpec spec, io.elaswave.planner.Layout layout, long adoptedEpoch, long committedStep,
      List<BlockDigest> committedDigests) implements SchedulerMessage {}

  /** The ledger's answer to a write the scheduler waits on ({@code token} names the write). */
  record LedgerAcked(long token, boolean accepted, String reason) implements SchedulerMessage {}

  /** The scheduler's own timer: the grace for live nodes to report after a take-over is over. */
  record TakeOverReady() implements SchedulerMessage {}

  /** The scheduler's own tick: look for nodes whose heartbeats stopped. */
  record LivenessTick() implements SchedulerMessage {}

  /** The scheduler's lifeline to {@code node} ended at {@code atMillis} (wall clock): its process may have died. */
  record LifelineClosed(NodeId node, long atMillis) implements SchedulerMessage {}

  /** The answer to a death check of {@code node} (run off the actor's thread). */
  record DeathChecked(NodeId node, boolean dead, String evidence) implements SchedulerMessage {}

  /** Background migration: {@code rank} holds every block it shadows, current to committed step {@code step}. */
  record ShadowHeld(long epoch, RankId rank, long step) implements SchedulerMessage {}

  /** The scheduler's own timer: stop holding step {@code step} back for a migration's shadows. */
  record MigrationWaitOver(long epoch, long step) implements SchedulerMessage {}

  /** A rank holds its state for layout {@code epoch} and is ready to run under it. */
  record Reconfigured(long epoch, RankId rank) implements SchedulerMessage {}

  /** A rank could not take layout {@code epoch}: the reason says why (e.g. a digest mismatch). */
  record ReconfigureFailed(long epoch, RankId rank, String reason) implements SchedulerMessage {}

  /** Arm {@code fault} on its rank (the scheduler forwards it; node faults are the launcher's). */
  record InjectFault(io.elaswave.protocol.fault.Fault.RankFault fault) implements SchedulerMessage {}

  /** A node guardian saw one of its ranks fail (an exception stopped the actor). */
  record RankFailed(NodeId node, RankId rank, String reason) implements SchedulerMessage {}

  /** The scheduler's own timer: step {@code step} under {@code epoch} has run past its deadline. */
  record StepDeadline(long epoch, long step, long attempt) implements SchedulerMessage {}

  /** A rank's answer to a Probe: it still processes messages. */
  record ProbeAnswered(long epoch, long attempt, RankId rank) implements SchedulerMessage {}

  /** The scheduler's own timer: probe round {@code attempt} is over; the silent ranks are lost. */
  record ProbeTimedOut(long epoch, long attempt) implements SchedulerMessage {}

  /**
   * The cluster's view of a member changed (adapted from Pekko's membership and reachability
   * events): {@code address} is its host:port, as nodes report it in NodeAvailable.
   */
  record MemberChanged(String address, MemberChange change) implements SchedulerMessage {}

  /** What happened to a member, as the scheduler acts on it. */
  enum MemberChange { UNREACHABLE, REACHABLE, DOWNED, REMOVED }

  /** A node started the ranks it was asked for. */
  record RanksSpawned(NodeId node, List<RankRefs> ranks) implements SchedulerMessage {}

  /** A rank loaded the state it was sent. */
  record StateLoaded(long epoch, RankId rank) implements SchedulerMessage {}

  /** A last stage's loss sums for micro-batch ids firstId, firstId + 1, … */
  record LossReport(long epoch, long step, int firstId, double[] lossSums) implements SchedulerMessage {
    // Records compare arrays by reference; a report is equal when its sums are.
    @Override public boolean equals(Object o) {
      return o instanceof LossReport r && epoch == r.epoch && step == r.step && firstId == r.firstId
          && java.util.Arrays.equals(lossSums, r.lossSums);
    }

    @Override public int hashCode() {
      return java.util.Objects.hash(epoch, step, firstId, java.util.Arrays.hashCode(lossSums));
    }

    @Override public String toString() {
      return "LossReport[epoch=" + epoch + ", step=" + step + ", firstId=" + firstId + ", lossSums="
          + java.util.Arrays.toString(lossSums) + "]";
    }
  }

  /** An owner's per-block gradient sums of squares, once every owned block is reduced. */
  record NormReport(long epoch, long step, RankId rank, List<BlockNorm> norms) implements SchedulerMessage {}

  /** A rank holds the step's parameters for all its layers; digests of the blocks it owns. */
  record StepDone(long epoch, long step, RankId rank, List<BlockDigest> digests, RankTraffic traffic,
      ComputeReport compute) implements SchedulerMessage {}

  /**
   * Tensor traffic a rank sent during a step: payload bytes and messages of the collectives and
   * pipeline, stale messages it dropped, and the bytes of its snapshot to its buddy.
   */
  record RankTraffic(long bytes, long messages, long staleDropped, long snapshotBytes) {}

  /**
   * What a rank measured in a step. Per layer held (from {@code layerFrom}): wall nanoseconds of
   * forward and of backward summed over its {@code microBatches} micro-batches, and the most bytes
   * one forward allocated (its activations' upper bound). Then where the step's wall time went on
   * this rank, in microseconds from its RunStep: until its gradients were out ({@code computeMicros},
   * which holds the kernels and, in a pipeline, the waits for neighbours), until the clip factor
   * came ({@code reduceMicros}: reduce-scatter and the norm round trip), the AdamW update of its
   * blocks ({@code updateMicros}) and until its StepDone ({@code gatherMicros}: all-gather and the
   * snapshot ack); the JVM's garbage-collection milliseconds during the step; and the node's
   * clock during the step (a fraction of its nominal speed), by which the scheduler turns the
   * times into nominal ones.
   */
  record ComputeReport(int layerFrom, int microBatches, long[] forwardNanos, long[] backwardNanos,
      long[] activationBytes, long computeMicros, long reduceMicros, long updateMicros, long gatherMicros,
      long gcMillis, double clock) {
    public ComputeReport {
      if (!(clock > 0) || !Double.isFinite(clock)) {
        throw new IllegalArgumentException("a compute report's clock must be > 0, got " + clock);
      }
    }

    /** A report at the nominal clock. */
    public ComputeReport(int layerFrom, int microBatches, long[] forwardNanos, long[] backwardNanos,
        long[] activationBytes, long computeMicros, long reduceMicros, long updateMicros, long gatherMicros,
        long gcMillis) {
      this(layerFrom, microBatches, forwardNanos, backwardNanos, activationBytes, computeMicros, reduceMicros,
          updateMicros, gatherMicros, gcMillis, 1);
    }

    /** A report that measured nothing (a rank with no step to report on). */
    public static ComputeReport none() {
      return new ComputeReport(0, 0, new long[0], new long[0], new long[0], 0, 0, 0, 0, 0);
    }

    /** Nanoseconds in forward and backward kernels, all layers and micro-batches. */
    public long kernelNanos() {
      long sum = 0;
      for (int i = 0; i < forwardNanos.length; i++) {
        sum += forwardNanos[i] + backwardNanos[i];
      }
      return sum;
    }

    @Override public boolean equals(Object o) {
      return o instanceof ComputeReport c && layerFrom == c.layerFrom && microBatches == c.microBatches
          && java.util.Arrays.equals(forwardNanos, c.forwardNanos) && java.util.Arrays.equals(backwardNanos,
          c.backwardNanos) && java.util.Arrays.equals(activationBytes, c.activationBytes)
          && computeMicros == c.computeMicros && reduceMicros == c.reduceMicros && updateMicros == c.updateMicros
          && gatherMicros == c.gatherMicros && gcMillis == c.gcMillis && clock == c.clock;
    }

    @Override public int hashCode() {
      return java.util.Objects.hash(layerFrom, microBatches, java.util.Arrays.hashCode(forwardNanos),
          java.util.Arrays.hashCode(backwardNanos), computeMicros, gatherMicros);
    }

    @Override public String toString() {
      return "ComputeReport[L" + layerFrom + " x" + microBatches + " fwd=" + java.util.Arrays.toString(forwardNanos)
          + " bwd=" + java.util.Arrays.toString(backwardNanos) + " compute=" + computeMicros + "us]";
    }
  }
}
