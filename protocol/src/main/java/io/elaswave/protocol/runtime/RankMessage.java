package io.elaswave.protocol.runtime;

import io.elaswave.planner.Layout;
import io.elaswave.protocol.EpochStamped;
import io.elaswave.protocol.FloatTensor;
import io.elaswave.protocol.KryoMessage;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;

/** A rank's protocol: control from the scheduler, tensors from peer ranks. */
public sealed interface RankMessage extends KryoMessage {

  /** Take a layout: the rank's stage, peers, groups and owned blocks follow from it. */
  record AdoptLayout(Layout layout, List<RankRefs> directory, ActorRef<SchedulerMessage> scheduler)
      implements RankMessage {}

  /**
   * Move from layout {@code baseEpoch} (the one every rank installed, which the plan was made
   * from) to layout {@code next.epoch()}: abandon any step after {@code committedStep} and roll
   * back to it, undo (or keep, if it is the base) a change installed since, send the transfers
   * this rank is the source of, receive those it is the target of, check received parameters
   * against the committed block digests, edit its groups, answer Reconfigured.
   */
  record Reconfigure(Layout next, long baseEpoch, List<RankRefs> directory, long committedStep,
      List<io.elaswave.planner.elastic.Transfer> transfers, List<BlockDigest> committedDigests,
      ActorRef<SchedulerMessage> scheduler) implements RankMessage {}

  /** Every rank took layout {@code epoch}: state kept for undoing the change can go. */
  record ChangeCommitted(long epoch) implements RankMessage {}

  /** A buddy has stored this rank's snapshot of {@code step}. */
  record SnapshotStored(long epoch, long step, io.elaswave.planner.RankId ofRank) implements RankMessage {}

  /**
   * A buddy could not advance {@code ofRank}'s snapshot to {@code step} from its gradients (no
   * base, a gradient missing, or a replayed block whose checksum differs): the owner sends the
   * full state instead.
   */
  record SnapshotRefused(long epoch, long step, io.elaswave.planner.RankId ofRank, String reason)
      implements RankMessage {}

  /**
   * Background migration under layout {@code epoch}: as owner, keep each shadow's holder current
   * every step; as holder, keep the shadows and report ShadowHeld to {@code scheduler}.
   */
  record ShadowStart(long epoch, List<io.elaswave.planner.elastic.Shadow> shadows,
      ActorRef<SchedulerMessage> scheduler) implements RankMessage {}

  /** Shadow {@code holder} could not replay the owner's blocks to {@code step}: their full state goes next step. */
  record ShadowRefused(long epoch, long step, io.elaswave.planner.RankId holder, String reason)
      implements RankMessage {}

  /** Replace the state of this rank's layers and owned blocks (resume from a checkpoint). */
  record LoadState(long epoch, long step, List<StateBlock> blocks) implements RankMessage {}

  /** Run step {@code step}: 1F1B over the replica's micro-batches, then reduce-scatter. */
  record RunStep(long epoch, long step) implements RankMessage {}

  /** Apply the optimizer to owned blocks with this lr and clip factor, then all-gather. */
  record ApplyUpdate(long epoch, long step, float lr, float gradScale) implements RankMessage {}

  /** A local group has sent this rank's updated blocks of {@code layer} to every peer (and counted them). */
  record GatherSent(long epoch, long step, int layer) implements RankMessage {}

  /** Send the owned blocks' state (parameters and moments) to {@code replyTo}. */
  record GatherState(long epoch, ActorRef<DriverMessage> replyTo) implements RankMessage {}

  /** Arm a fault the rank carries out at the fault's step (error: throw in backward; hang: go silent). */
  record InjectFault(io.elaswave.protocol.fault.Fault.RankFault fault) implements RankMessage {}

  /** Are you there? Answered at once with ProbeAnswered by a rank that still processes messages. */
  record Probe(long epoch, long attempt, ActorRef<SchedulerMessage> replyTo) implements RankMessage {}

  /**
   * The receiver of an {@link ActivationPiece} has taken it in: the sender of operation
   * {@code opId} may send one more piece (its credit window).
   */
  record PieceCredit(long epoch, long opId) implements RankMessage {}

  /** Tensor traffic between ranks; dropped when its epoch is not the rank's. */
  sealed interface DataMessage extends RankMessage, EpochStamped {}

  /** A forward activation of micro-batch {@code microBatch} for the next stage. */
  record Activation(long epoch, long step, int microBatch, FloatTensor data) implements DataMessage {}

  /** The gradient of a stage's input activation, for the previous stage. */
  record ActivationGrad(long epoch, long step, int microBatch, FloatTensor data) implements DataMessage {}

  /**
   * One piece of an Activation ({@code gradient} false) or ActivationGrad (true) larger than one
   * message may carry; the receiver puts the pieces back together and credits each to
   * {@code from}, which sends at most a window of pieces ahead.
   */
  record ActivationPiece(long epoch, long step, int microBatch, boolean gradient, io.elaswave.planner.RankId from,
      io.elaswave.protocol.chunk.TensorChunk chunk) implements DataMessage {}

  /** Reduce-scatter: tree-node partial sums of blocks the receiver owns. */
  record GradPartials(long epoch, long step, List<BlockPartial> partials) implements DataMessage {}

  /** Snapshot pool: keep {@code ofRank}'s owned blocks after {@code step}; confirm to {@code owner}. */
  record SnapshotPut(long epoch, long step, io.elaswave.planner.RankId ofRank, ActorRef<RankMessage> owner,
      List<StateBlock> blocks) implements DataMessage {}

  /**
   * Snapshot by replay, first half: the reduced gradients of {@code ofRank}'s owned blocks for
   * {@code step}, sent while the owner waits for the clip factor.
   */
  record SnapshotGrads(long epoch, long step, io.elaswave.planner.RankId ofRank, List<BlockValues> grads)
      implements DataMessage {}

  /**
   * Snapshot by replay, second half: the step's AdamW scalars. The buddy applies the same
   * element-wise update to its copy of the previous step's state — the same floats, so the same
   * bits — checks each block against the owner's {@code checksums} (parameters where it keeps
   * them, then m, then v), and confirms to {@code owner} or refuses.
   */
  record SnapshotApply(long epoch, long step, io.elaswave.planner.RankId ofRank, ActorRef<RankMessage> owner,
      float lr, float gradScale, float correction1, float correction2, List<BlockDigest> checksums)
      implements DataMessage {}

  /** Background migration: the full state (parameters, m, v) of {@code ofRank}'s shadowed blocks after {@code step}. */
  record ShadowState(long epoch, long step, io.elaswave.planner.RankId ofRank, List<StateBlock> blocks)
      implements DataMessage {}

  /** Background migration: the reduced gradients of {@code ofRank}'s shadowed blocks for {@code step}. */
  record ShadowGrads(long epoch, long step, io.elaswave.planner.RankId ofRank, List<BlockValues> grads)
      implements DataMessage {}

  /**
   * Background migration: the step's AdamW scalars and the owner's checksums of each shadowed
   * block (parameters, m, v); the holder replays the update as a buddy does, or refuses to {@code owner}.
   */
  record ShadowApply(long epoch, long step, io.elaswave.planner.RankId ofRank, ActorRef<RankMessage> owner,
      float lr, float gradScale, float correction1, float correction2, List<BlockDigest> checksums)
      implements DataMessage {}

  /** Re-planning: block state a new holder or owner needs (parameters, or moments as m then v). */
  record StateTransfer(long epoch, List<MovedBlock> blocks) implements DataMessage {}

  /** All-gather: updated parameters of blocks the sender owns. */
  record BlockUpdates(long epoch, long step, List<BlockValues> blocks) implements DataMessage {}
}
