package io.elaswave.actors.rank;

import io.elaswave.actors.group.TensorBatches;
import io.elaswave.engine.param.BlockRef;
import io.elaswave.planner.RankId;
import io.elaswave.protocol.runtime.DriverMessage;
import io.elaswave.protocol.runtime.JobSpec;
import io.elaswave.protocol.runtime.RankMessage;
import io.elaswave.protocol.runtime.RankMessage.Activation;
import io.elaswave.protocol.runtime.RankMessage.ActivationGrad;
import io.elaswave.protocol.runtime.RankMessage.BlockUpdates;
import io.elaswave.protocol.runtime.RankMessage.GatherState;
import io.elaswave.protocol.runtime.RankMessage.GradPartials;
import io.elaswave.protocol.runtime.RankMessage.LoadState;
import io.elaswave.protocol.runtime.RankMessage.SnapshotPut;
import io.elaswave.protocol.runtime.RankMessage.StateTransfer;
import io.elaswave.protocol.runtime.SchedulerMessage;
import io.elaswave.protocol.runtime.StateBlock;
import java.util.List;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * One rank: a stage of one replica. A step is a transaction driven by the scheduler:
 * RunStep → 1F1B over the replica's micro-batches → reduce-scatter of tree-node partial sums →
 * (owners) NormReport → ApplyUpdate → AdamW on owned blocks, snapshot to the buddy, all-gather →
 * StepDone. The update is two-phase: a rollback point taken before it lets a Reconfigure abandon
 * the step. Tensors from peers pass the {@link DataGate}: those from an older epoch are dropped
 * and counted; those from a newer epoch or a later step wait until this rank gets there.
 * This class only routes messages to the pieces that carry them out.
 */
public final class Rank extends AbstractBehavior<RankMessage> {
  /** What a rank is, how large its tensor messages may be, and its node's clock (a fraction of nominal). */
  public record Settings(JobSpec job, RankId id, int maxFloatsPerMessage, java.util.function.DoubleSupplier clock) {
    /** A rank on a node at its nominal clock. */
    public Settings(JobSpec job, RankId id, int maxFloatsPerMessage) {
      this(job, id, maxFloatsPerMessage, () -> 1);
    }
  }

  private final RankState state;
  private final DataGate gate = new DataGate();
  private final RankFaults faults = new RankFaults();
  private final BuddySnapshot snapshots;
  private final MigrationShadows shadows;
  private final ShardUpdate update;
  private final PipelineStage pipeline;
  private final Reconfiguration reconfiguration;

  private Rank(ActorContext<RankMessage> context, Settings settings) {
    super(context);
    this.state = new RankState(settings, context.getSelf(), context.getLog());
    var groups = new LayerGroups(context, settings.id(), state.traffic, settings.maxFloatsPerMessage());
    var config = context.getSystem().settings().config();
    this.snapshots = new BuddySnapshot(state, config.getBoolean("elaswave.snapshots"),
        config.getBoolean("elaswave.snapshot-replay"));
    this.shadows = new MigrationShadows(state);
    this.update = new ShardUpdate(state, groups, snapshots, shadows, gate);
    this.pipeline = new PipelineStage(state, groups, faults, update, config.getInt("elaswave.piece-window"));
    this.reconfiguration = new Reconfiguration(state, groups, snapshots, shadows, gate);
  }

  public static Behavior<RankMessage> create(Settings settings) {
    return Behaviors.setup(ctx -> new Rank(ctx, settings));
  }

  @Override public Receive<RankMessage> createReceive() {
    return newReceiveBuilder()
        .onMessage(RankMessage.class, faults::hangsOn, this::hang)
        .onMessage(RankMessage.Probe.class, m -> {
          m.replyTo().tell(new SchedulerMessage.ProbeAnswered(m.epoch(), m.attempt(), state.id()));
          return this;
        })
        .onMessage(RankMessage.InjectFault.class, this::onInjectFault)
        .onMessage(RankMessage.AdoptLayout.class, m -> then(reconfiguration::onAdoptLayout, m))
        .onMessage(LoadState.class, m -> then(this::onLoadState, m))
        .onMessage(RankMessage.RunStep.class, m -> then(this::onRunStep, m))
        .onMessage(RankMessage.ApplyUpdate.class, m -> then(update::onApplyUpdate, m))
        .onMessage(GatherState.class, m -> then(this::onGatherState, m))
        .onMessage(RankMessage.Reconfigure.class, m -> then(reconfiguration::onReconfigure, m))
        .onMessage(RankMessage.ChangeCommitted.class, m -> then(reconfiguration::onChangeCommitted, m))
        .onMessage(RankMessage.SnapshotStored.class, m -> then(this::onSnapshotStored, m))
        .onMessage(RankMessage.SnapshotRefused.class, m -> then(this::onSnapshotRefused, m))
        .onMessage(RankMessage.ShadowStart.class, m -> then(this::onShadowStart, m))
        .onMessage(RankMessage.ShadowRefused.class, m -> then(shadows::refused, m))
        .onMessage(RankMessage.GatherSent.class, m -> then(update::onGatherSent, m))
        .onMessage(RankMessage.PieceCredit.class, m -> then(pipeline::onPieceCredit, m))
        .onMessage(RankMessage.DataMessage.class, m -> then(this::onData, m))
        .build();
  }

  private <M> Behavior<RankMessage> then(Consumer<M> handler, M m) {
    handler.accept(m);
    return this;
  }

  // ---- faults ------------------------------------------------------------------------------

  private Behavior<RankMessage> onInjectFault(RankMessage.InjectFault m) {
    if (!m.fault().rank().equals(state.id())) {
      getContext().getLog().warn("rank {} ignores fault {} meant for another rank", state.id(), m.fault().text());
      return this;
    }
    faults.arm(m.fault());
    return this;
  }

  /** An injected hang: from now on every message is ignored, Probe included; the thread stays free. */
  private Behavior<RankMessage> hang(RankMessage m) {
    getContext().getLog().warn("rank {} carries out injected fault {}: it ignores every message from now on",
        state.id(), faults.armed().text());
    return Behaviors.ignore();
  }

  // ---- state in and out ----------------------------------------------------------------------

  private void onLoadState(LoadState m) {
    if (!state.currentEpoch(m.epoch())) {
      return;
    }
    for (StateBlock s : m.blocks()) {
      BlockRef b = state.paramBlocks.blocks(s.layer()).get(s.block());
      if (state.params[s.layer()] != null) {
        System.arraycopy(s.params().values(), 0, state.params[s.layer()], b.from(), b.size());
      }
      state.shard.loadMoments(s);
    }
    state.doneStep = m.step();
    state.stateStep = m.step();
    snapshots.send(m.step());
    state.scheduler.tell(new SchedulerMessage.StateLoaded(m.epoch(), state.id()));
  }

  private void onGatherState(GatherState m) {
    if (!state.currentEpoch(m.epoch())) {
      return;
    }
    int total = state.paramBlocks.all().size();
    for (List<StateBlock> batch : TensorBatches.split(state.shard.state(state.params), s -> 3 * s.params().length(),
        state.settings.maxFloatsPerMessage())) {
      m.replyTo().tell(new DriverMessage.StateBlocks(state.doneStep, total, batch));
    }
  }

  // ---- the step ------------------------------------------------------------------------------

  private void onRunStep(RankMessage.RunStep m) {
    if (pipeline.start(m)) {
      gate.replay(getContext().getSelf()::tell);
      pipeline.advance();
    }
  }

  private void onSnapshotStored(RankMessage.SnapshotStored m) {
    if (state.currentEpoch(m.epoch()) && snapshots.acknowledged(m)) {
      update.maybeFinish();
    }
  }

  private void onSnapshotRefused(RankMessage.SnapshotRefused m) {
    if (state.currentEpoch(m.epoch()) && snapshots.refused(m)) {
      update.maybeFinish();
    }
  }

  private void onShadowStart(RankMessage.ShadowStart m) {
    if (state.currentEpoch(m.epoch())) {
      shadows.start(m);
    }
  }

  /** Tensors from peers: the gate decides; delivered ones go to the piece they are for. */
  private void onData(RankMessage.DataMessage m) {
    switch (DataGate.classify(m, state.gateState())) {
      case DROP -> state.traffic.droppedStale();
      case HOLD -> gate.hold(m);
      case DELIVER -> deliver(m);
    }
  }

  private void deliver(RankMessage.DataMessage m) {
    if (m instanceof StateTransfer t) {
      reconfiguration.onStateTransfer(t);
    } else if (m instanceof SnapshotPut p) {
      snapshots.store(p);
    } else if (m instanceof RankMessage.SnapshotGrads g) {
      snapshots.stash(g);
    } else if (m instanceof RankMessage.SnapshotApply a) {
      snapshots.replay(a);
    } else if (m instanceof RankMessage.ShadowState x) {
      shadows.store(x);
    } else if (m instanceof RankMessage.ShadowGrads g) {
      shadows.stash(g);
    } else if (m instanceof RankMessage.ShadowApply a) {
      shadows.replay(a);
    } else if (m instanceof Activation a) {
      pipeline.onActivation(a);
    } else if (m instanceof ActivationGrad g) {
      pipeline.onActivationGrad(g);
    } else if (m instanceof RankMessage.ActivationPiece p) {
      pipeline.onPiece(p);
    } else if (m instanceof GradPartials p) {
      update.onGradPartials(p);
    } else if (m instanceof BlockUpdates u) {
      update.onBlockUpdates(u);
    }
  }
}
