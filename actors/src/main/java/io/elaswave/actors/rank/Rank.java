package io.elaswave.actors.rank;

import io.elaswave.actors.group.CommunicatorGroup;
import io.elaswave.actors.group.TensorBatches;
import io.elaswave.engine.data.BatchSampler;
import io.elaswave.engine.model.Layer;
import io.elaswave.engine.model.MicroBatch;
import io.elaswave.engine.model.Model;
import io.elaswave.engine.model.StepContext;
import io.elaswave.engine.optim.AdamW;
import io.elaswave.engine.param.BlockRef;
import io.elaswave.engine.param.ParamBlocks;
import io.elaswave.engine.reduce.ReductionTree;
import io.elaswave.engine.reduce.TreeNode;
import io.elaswave.engine.train.LayerVectors;
import io.elaswave.engine.train.ReferenceTrainer;
import io.elaswave.engine.train.StagePass;
import io.elaswave.engine.train.TrainConfig;
import io.elaswave.planner.BlockId;
import io.elaswave.planner.Layout;
import io.elaswave.planner.RankId;
import io.elaswave.planner.StageAssignment;
import io.elaswave.planner.schedule.PipelineOp;
import io.elaswave.protocol.FloatTensor;
import io.elaswave.protocol.runtime.BlockPartial;
import io.elaswave.protocol.runtime.BlockValues;
import io.elaswave.protocol.runtime.DriverMessage;
import io.elaswave.protocol.runtime.GroupMessage;
import io.elaswave.protocol.runtime.JobSpec;
import io.elaswave.protocol.runtime.RankMessage;
import io.elaswave.protocol.runtime.RankMessage.Activation;
import io.elaswave.protocol.runtime.RankMessage.ActivationGrad;
import io.elaswave.protocol.runtime.RankMessage.AdoptLayout;
import io.elaswave.protocol.runtime.RankMessage.ApplyUpdate;
import io.elaswave.protocol.runtime.RankMessage.GatherState;
import io.elaswave.protocol.runtime.RankMessage.GradPartials;
import io.elaswave.protocol.runtime.RankMessage.LoadState;
import io.elaswave.protocol.runtime.RankMessage.BlockUpdates;
import io.elaswave.protocol.runtime.RankMessage.RunStep;
import io.elaswave.protocol.runtime.RankRefs;
import io.elaswave.protocol.runtime.SchedulerMessage;
import io.elaswave.protocol.runtime.StateBlock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * One rank: a stage of one replica. A step is a transaction driven by the scheduler:
 * RunStep → 1F1B over the replica's micro-batches → reduce-scatter of tree-node partial sums →
 * (owners) NormReport → ApplyUpdate → AdamW on owned blocks and all-gather → StepDone.
 * Tensor messages from another epoch are dropped and counted; data for a step this rank has not
 * started yet waits until it starts.
 */
public final class Rank extends AbstractBehavior<RankMessage> {
  /** What a rank is and how large its tensor messages may be. */
  public record Settings(JobSpec job, RankId id, int maxFloatsPerMessage) {}

  private final Settings settings;
  private final TrainConfig config;
  private final Model model;
  private final ParamBlocks paramBlocks;
  private final BatchSampler sampler;
  private final ReductionTree tree;
  private final AdamW adamW;
  private final long tokensPerStep;
  private final TrafficCounter traffic = new TrafficCounter();
  private final Map<Integer, ActorRef<GroupMessage>> groups = new HashMap<>();
  private final List<RankMessage.DataMessage> early = new ArrayList<>();

  private Layout layout;
  private StageAssignment stage;
  private Map<RankId, RankRefs> directory;
  private ActorRef<SchedulerMessage> scheduler;
  private float[][] params;
  private OwnedShard shard;
  private long committedStep;
  private StepRun run;

  private Rank(ActorContext<RankMessage> context, Settings settings) {
    super(context);
    this.settings = settings;
    this.config = settings.job().config();
    var corpus = SharedCorpus.get();
    this.model = new Model(config.modelConfig(corpus.vocab().size()));
    this.paramBlocks = ReferenceTrainer.paramBlocks(model);
    this.sampler = new BatchSampler(corpus, config.seed(), config.microBatchSize(), model.config().seqLen());
    this.tree = new ReductionTree(config.microBatches());
    this.adamW = new AdamW(config.adamW());
    this.tokensPerStep = config.tokensPerStep(model.config().seqLen());
  }

  public static Behavior<RankMessage> create(Settings settings) {
    return Behaviors.setup(ctx -> new Rank(ctx, settings));
  }

  @Override public Receive<RankMessage> createReceive() {
    return newReceiveBuilder()
        .onMessage(AdoptLayout.class, this::onAdoptLayout)
        .onMessage(LoadState.class, this::onLoadState)
        .onMessage(RunStep.class, this::onRunStep)
        .onMessage(ApplyUpdate.class, this::onApplyUpdate)
        .onMessage(GatherState.class, this::onGatherState)
        .onMessage(Activation.class, this::onActivation)
        .onMessage(ActivationGrad.class, this::onActivationGrad)
        .onMessage(GradPartials.class, this::onGradPartials)
        .onMessage(BlockUpdates.class, this::onBlockUpdates)
        .onMessage(RankMessage.GatherSent.class, this::onGatherSent)
        .build();
  }

  // ---- layout and state -------------------------------------------------------------------

  private Behavior<RankMessage> onAdoptLayout(AdoptLayout m) {
    layout = m.layout();
    scheduler = m.scheduler();
    directory = new LinkedHashMap<>();
    m.directory().forEach(r -> directory.put(r.rank(), r));
    stage = layout.stageOf(settings.id());
    if (params == null) {
      params = new float[model.layerCount()][];
      for (int l = stage.layerFrom(); l < stage.layerTo(); l++) {
        params[l] = model.initParams(l, config.seed());
      }
    }
    List<BlockRef> owned = layout.blocksOwnedBy(settings.id()).stream()
        .map(b -> paramBlocks.blocks(b.layer()).get(b.block())).toList();
    shard = new OwnedShard(model, tree, owned);
    run = null;
    early.clear();
    for (int l = stage.layerFrom(); l < stage.layerTo(); l++) {
      adoptGroup(l);
    }
    return this;
  }

  /** Spawns the layer's group, or edits the existing one in place under the new epoch. */
  private void adoptGroup(int layer) {
    List<RankRefs> members = layout.holdersOfLayer(layer).stream().map(directory::get).toList();
    List<RankId> owners = layout.blockOwners().get(layer);
    ActorRef<GroupMessage> group = groups.get(layer);
    if (group == null) {
      var groupSettings = new CommunicatorGroup.Settings(layer, settings.id(), traffic,
          settings.maxFloatsPerMessage());
      groups.put(layer, getContext().spawn(CommunicatorGroup.create(groupSettings, layout.epoch(), members, owners),
          "group-" + layer));
      return;
    }
    long epoch = layout.epoch();
    members.forEach(r -> group.tell(new GroupMessage.AddMember(epoch, r)));
    group.tell(new GroupMessage.SetOwners(epoch, owners));
  }

  private Behavior<RankMessage> onLoadState(LoadState m) {
    if (!currentEpoch(m.epoch())) {
      return this;
    }
    for (StateBlock s : m.blocks()) {
      BlockRef b = paramBlocks.blocks(s.layer()).get(s.block());
      if (params[s.layer()] != null) {
        System.arraycopy(s.params().values(), 0, params[s.layer()], b.from(), b.size());
      }
      shard.loadMoments(s);
    }
    committedStep = m.step();
    scheduler.tell(new SchedulerMessage.StateLoaded(m.epoch(), settings.id()));
    return this;
  }

  private Behavior<RankMessage> onGatherState(GatherState m) {
    if (!currentEpoch(m.epoch())) {
      return this;
    }
    int total = paramBlocks.all().size();
    for (List<StateBlock> batch : TensorBatches.split(shard.state(params), s -> 3 * s.params().length(),
        settings.maxFloatsPerMessage())) {
      m.replyTo().tell(new DriverMessage.StateBlocks(committedStep, total, batch));
    }
    return this;
  }

  // ---- the step: 1F1B, then reduce-scatter -----------------------------------------------

  private Behavior<RankMessage> onRunStep(RunStep m) {
    if (!currentEpoch(m.epoch())) {
      return this;
    }
    if (m.step() != committedStep + 1) {
      getContext().getLog().warn("rank {} asked to run step {} after committing {}", settings.id(), m.step(),
          committedStep);
      return this;
    }
    int replica = stage.replica();
    run = new StepRun(m.step(), stage.stage(), layout.stageCount(replica), layout.microBatchesOf(replica), tree,
        remoteBlockCount());
    List<RankMessage.DataMessage> ready = new ArrayList<>(early);
    early.clear();
    ready.forEach(d -> getContext().getSelf().tell(d));
    advance();
    return this;
  }

  private void advance() {
    while (!run.ops.isEmpty() && tryRun(run.ops.peek())) {
      run.ops.poll();
    }
    if (run.computeDone() && !run.reduceSent) {
      reduceScatter();
      run.reduceSent = true;
      maybeReportNorms();
    }
  }

  private boolean tryRun(PipelineOp op) {
    return op.kind() == PipelineOp.Kind.FORWARD ? forward(op.microBatch()) : backward(op.microBatch());
  }

  private boolean forward(int id) {
    float[] input = null;
    if (!firstStage()) {
      input = run.activations.remove(id);
      if (input == null) {
        return false;
      }
    }
    MicroBatch batch = sampler.train(run.step, id);
    StepContext ctx = new StepContext(config.seed(), run.step, true);
    List<Layer.Forward> saved = StagePass.forward(model, params, stage.layerFrom(), stage.layerTo(), input, batch, ctx);
    float[] out = saved.get(saved.size() - 1).output();
    if (lastStage()) {
      run.lossSums[id - run.range.from()] = StagePass.lossSum(out);
    } else {
      neighbour(layout.nextRank(settings.id()).orElseThrow())
          .tell(new Activation(layout.epoch(), run.step, id, new FloatTensor(out)));
      traffic.sent(out.length);
    }
    run.saved.put(id, saved);
    run.batches.put(id, batch);
    return true;
  }

  private boolean backward(int id) {
    MicroBatch batch = run.batches.get(id);
    float[] dOut = lastStage() ? StagePass.lossGradient(batch, tokensPerStep) : run.activationGrads.remove(id);
    if (dOut == null) {
      return false;
    }
    float[][] grads = LayerVectors.zerosLike(params, stage.layerFrom(), stage.layerTo());
    float[] dIn = StagePass.backward(model, params, grads, stage.layerFrom(), stage.layerTo(), dOut, batch,
        run.saved.remove(id));
    run.batches.remove(id);
    run.gradients.add(id, LayerVectors.concat(grads, stage.layerFrom(), stage.layerTo()));
    if (!firstStage()) {
      neighbour(layout.prevRank(settings.id()).orElseThrow())
          .tell(new ActivationGrad(layout.epoch(), run.step, id, new FloatTensor(dIn)));
      traffic.sent(dIn.length);
    }
    return true;
  }

  /** Cuts the cover-node sums of this stage's layers into blocks and sends them to their owners. */
  private void reduceScatter() {
    Map<TreeNode, float[]> sums = run.gradients.result();
    int offset = 0;
    for (int l = stage.layerFrom(); l < stage.layerTo(); l++) {
      List<BlockPartial> partials = new ArrayList<>();
      for (BlockRef b : paramBlocks.blocks(l)) {
        for (Map.Entry<TreeNode, float[]> e : sums.entrySet()) {
          float[] slice = java.util.Arrays.copyOfRange(e.getValue(), offset + b.from(), offset + b.to());
          partials.add(new BlockPartial(l, b.block(), e.getKey().lo(), e.getKey().hi(), new FloatTensor(slice)));
        }
      }
      groups.get(l).tell(new GroupMessage.ReduceScatter(layout.epoch(), run.step, partials));
      offset += params[l].length;
    }
    if (lastStage()) {
      scheduler.tell(new SchedulerMessage.LossReport(layout.epoch(), run.step, run.range.from(), run.lossSums));
    }
  }

  private Behavior<RankMessage> onGradPartials(GradPartials m) {
    if (!currentEpoch(m.epoch()) || m.step() <= committedStep) {
      traffic.droppedStale();
      return this;
    }
    m.partials().forEach(p -> shard.addPartial(m.step(), p));
    maybeReportNorms();
    return this;
  }

  private void maybeReportNorms() {
    if (run != null && run.reduceSent && !run.normsSent && shard.reduce(run.step)) {
      scheduler.tell(new SchedulerMessage.NormReport(layout.epoch(), run.step, settings.id(), shard.norms()));
      run.normsSent = true;
    }
  }

  // ---- update and all-gather ---------------------------------------------------------------

  private Behavior<RankMessage> onApplyUpdate(ApplyUpdate m) {
    if (!currentEpoch(m.epoch()) || run == null || m.step() != run.step || !run.normsSent) {
      getContext().getLog().warn("rank {} ignores ApplyUpdate for step {} (epoch {})", settings.id(), m.step(),
          m.epoch());
      return this;
    }
    List<BlockValues> updated = shard.update(m.step(), params, adamW, adamW.scalars(m.step(), m.lr(), m.gradScale()));
    Map<Integer, List<BlockValues>> byLayer = new LinkedHashMap<>();
    updated.forEach(v -> byLayer.computeIfAbsent(v.layer(), l -> new ArrayList<>()).add(v));
    byLayer.forEach((l, blocks) -> groups.get(l).tell(
        new GroupMessage.AllGather(layout.epoch(), m.step(), blocks, getContext().getSelf())));
    run.gathersPending = byLayer.size();
    run.ownUpdated = true;
    maybeFinish();
    return this;
  }

  private Behavior<RankMessage> onBlockUpdates(BlockUpdates m) {
    if (!currentEpoch(m.epoch()) || m.step() <= committedStep) {
      traffic.droppedStale();
      return this;
    }
    if (run == null || run.step != m.step()) {
      early.add(m);
      return this;
    }
    for (BlockValues v : m.blocks()) {
      BlockRef b = paramBlocks.blocks(v.layer()).get(v.block());
      System.arraycopy(v.values().values(), 0, params[v.layer()], b.from(), b.size());
      run.remoteReceived++;
    }
    maybeFinish();
    return this;
  }

  private Behavior<RankMessage> onGatherSent(RankMessage.GatherSent m) {
    if (currentEpoch(m.epoch()) && run != null && run.step == m.step()) {
      run.gathersPending--;
      maybeFinish();
    }
    return this;
  }

  /** Done when owned blocks are updated and sent (so the step's traffic is counted) and peers' arrived. */
  private void maybeFinish() {
    if (run.ownUpdated && run.gathersPending == 0 && run.remoteReceived == run.remoteExpected) {
      long[] t = traffic.drain();
      scheduler.tell(new SchedulerMessage.StepDone(layout.epoch(), run.step, settings.id(), shard.digests(params),
          new SchedulerMessage.RankTraffic(t[0], t[1], t[2])));
      committedStep = run.step;
      run = null;
    }
  }

  // ---- data that arrives ahead of its operation ----------------------------------------------

  private Behavior<RankMessage> onActivation(Activation m) {
    if (accept(m, m.step())) {
      run.activations.put(m.microBatch(), m.data().values());
      advance();
    }
    return this;
  }

  private Behavior<RankMessage> onActivationGrad(ActivationGrad m) {
    if (accept(m, m.step())) {
      run.activationGrads.put(m.microBatch(), m.data().values());
      advance();
    }
    return this;
  }

  /** True when the message belongs to the running step; keeps it for later if its step is ahead. */
  private boolean accept(RankMessage.DataMessage m, long step) {
    if (!currentEpoch(m.epoch()) || step <= committedStep) {
      traffic.droppedStale();
      return false;
    }
    if (run == null || step > run.step) {
      early.add(m);
      return false;
    }
    return true;
  }

  private boolean currentEpoch(long epoch) {
    return layout != null && epoch == layout.epoch();
  }

  private int remoteBlockCount() {
    int total = 0;
    for (int l = stage.layerFrom(); l < stage.layerTo(); l++) {
      total += paramBlocks.blocks(l).size();
    }
    return total - (int) layout.blocksOwnedBy(settings.id()).stream().map(BlockId::layer).count();
  }

  private ActorRef<RankMessage.DataMessage> neighbour(RankId rank) {
    return directory.get(rank).inbox();
  }

  private boolean firstStage() {
    return stage.layerFrom() == 0;
  }

  private boolean lastStage() {
    return stage.layerTo() == model.layerCount();
  }
}
