package io.elaswave.actors.rank;

import io.elaswave.actors.group.TrafficCounter;
import io.elaswave.engine.data.BatchSampler;
import io.elaswave.engine.model.Model;
import io.elaswave.engine.optim.AdamW;
import io.elaswave.engine.param.BlockRef;
import io.elaswave.engine.param.ParamBlocks;
import io.elaswave.engine.reduce.ReductionTree;
import io.elaswave.engine.train.ReferenceTrainer;
import io.elaswave.engine.train.TrainConfig;
import io.elaswave.planner.Layout;
import io.elaswave.planner.RankId;
import io.elaswave.planner.StageAssignment;
import io.elaswave.protocol.runtime.RankMessage;
import io.elaswave.protocol.runtime.RankRefs;
import io.elaswave.protocol.runtime.SchedulerMessage;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.pekko.actor.typed.ActorRef;
import org.slf4j.Logger;

/**
 * What the pieces of one rank share: the job's fixed parts (model, sampler, tree, optimizer) and
 * the rank's placement and training state. One actor owns it; nothing here is thread-safe.
 */
final class RankState {
  final Rank.Settings settings;
  final TrainConfig config;
  final Model model;
  final ParamBlocks paramBlocks;
  final BatchSampler sampler;
  final ReductionTree tree;
  final AdamW adamW;
  final long tokensPerMicroBatch;
  final TrafficCounter traffic = new TrafficCounter();
  final ActorRef<RankMessage> self;
  final Logger log;

  Layout layout; // null until placed
  StageAssignment stage;
  Map<RankId, RankRefs> directory;
  RankId buddy;
  ActorRef<SchedulerMessage> scheduler;
  float[][] params;
  OwnedShard shard;
  long doneStep; // the last step this rank finished (committed or not)
  long stateStep; // the step the parameters reflect, fully or in part
  RollbackPoint rollback;
  RankPhase phase = new RankPhase.Unplaced();

  RankState(Rank.Settings settings, ActorRef<RankMessage> self, Logger log) {
    this.settings = settings;
    this.config = settings.job().config();
    var corpus = SharedCorpus.get();
    this.model = new Model(config.modelConfig(corpus.vocab().size()));
    this.paramBlocks = ReferenceTrainer.paramBlocks(model);
    this.sampler = new BatchSampler(corpus, config.seed(), config.microBatchSize(), model.config().seqLen());
    this.tree = new ReductionTree(config.microBatches());
    this.adamW = new AdamW(config.adamW());
    this.tokensPerMicroBatch = (long) config.microBatchSize() * model.config().seqLen();
    this.self = self;
    this.log = log;
  }

  RankId id() {
    return settings.id();
  }

  /** The running step, or null. */
  StepRun run() {
    return phase instanceof RankPhase.Stepping s ? s.run() : null;
  }

  /** The layout change in progress, or null. */
  Reconfiguration.Pending pending() {
    return phase instanceof RankPhase.Reconfiguring r ? r.pending() : null;
  }

  /** Leaves a step or a layout change: idle if placed, on standby if placed without a stage, unplaced otherwise. */
  void settle() {
    phase = layout == null ? new RankPhase.Unplaced() : stage == null ? new RankPhase.Standby() : new RankPhase.Idle();
  }

  /** The layout keeps this rank on standby: no stage, no state. */
  boolean onStandby() {
    return layout != null && stage == null;
  }

  /**
   * Tokens in a step of the current layout, the denominator of every position's loss: the global
   * batch, or only the ids that run when a policy dropped a replica (TorchFT's dynamic world size).
   */
  long tokensPerStep() {
    return layout.batchMicroBatches() * tokensPerMicroBatch;
  }

  void endRun() {
    if (phase instanceof RankPhase.Stepping) {
      settle();
    }
  }

  void endReconfiguring() {
    if (phase instanceof RankPhase.Reconfiguring) {
      settle();
    }
  }

  DataGate.GateState gateState() {
    StepRun run = run();
    Reconfiguration.Pending pending = pending();
    return new DataGate.GateState(layout == null ? OptionalLong.empty() : OptionalLong.of(layout.epoch()),
        pending == null ? OptionalLong.empty() : OptionalLong.of(pending.epoch()), doneStep,
        run == null ? OptionalLong.empty() : OptionalLong.of(run.step), run != null && run.reduceSent);
  }

  boolean currentEpoch(long epoch) {
    return layout != null && epoch == layout.epoch();
  }

  List<BlockRef> ownedRefs(Layout of) {
    return of.blocksOwnedBy(id()).stream().map(b -> paramBlocks.blocks(b.layer()).get(b.block())).toList();
  }

  int remoteBlockCount() {
    int total = 0;
    for (int l = stage.layerFrom(); l < stage.layerTo(); l++) {
      total += paramBlocks.blocks(l).size();
    }
    return total - layout.blocksOwnedBy(id()).size();
  }

  boolean firstStage() {
    return stage.layerFrom() == 0;
  }

  boolean lastStage() {
    return stage.layerTo() == model.layerCount();
  }
}
