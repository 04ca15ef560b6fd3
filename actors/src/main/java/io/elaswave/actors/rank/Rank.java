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
import io.elaswave.engine.param.Digest;
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
import io.elaswave.planner.elastic.SnapshotBuddies;
import io.elaswave.planner.elastic.Transfer;
import io.elaswave.planner.schedule.PipelineOp;
import io.elaswave.protocol.FloatTensor;
import io.elaswave.protocol.runtime.BlockDigest;
import io.elaswave.protocol.runtime.BlockPartial;
import io.elaswave.protocol.runtime.BlockValues;
import io.elaswave.protocol.runtime.DriverMessage;
import io.elaswave.protocol.runtime.GroupMessage;
import io.elaswave.protocol.runtime.JobSpec;
import io.elaswave.protocol.runtime.MovedBlock;
import io.elaswave.protocol.runtime.RankMessage;
import io.elaswave.protocol.runtime.RankMessage.Activation;
import io.elaswave.protocol.runtime.RankMessage.ActivationGrad;
import io.elaswave.protocol.runtime.RankMessage.AdoptLayout;
import io.elaswave.protocol.runtime.RankMessage.ApplyUpdate;
import io.elaswave.protocol.runtime.RankMessage.BlockUpdates;
import io.elaswave.protocol.runtime.RankMessage.GatherState;
import io.elaswave.protocol.runtime.RankMessage.GradPartials;
import io.elaswave.protocol.runtime.RankMessage.LoadState;
import io.elaswave.protocol.runtime.RankMessage.Reconfigure;
import io.elaswave.protocol.runtime.RankMessage.RunStep;
import io.elaswave.protocol.runtime.RankMessage.SnapshotPut;
import io.elaswave.protocol.runtime.RankMessage.SnapshotStored;
import io.elaswave.protocol.runtime.RankMessage.StateTransfer;
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
 * (owners) NormReport → ApplyUpdate → AdamW on owned blocks, snapshot to the buddy, all-gather →
 * StepDone. The update is two-phase: a rollback point taken before it lets a Reconfigure abandon
 * the step. Tensor messages from an older epoch are dropped and counted; those from a newer
 * epoch or a later step wait until this rank gets there.
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
  private final SnapshotPool pool = new SnapshotPool();
  private final boolean snapshots;

  private Layout layout;
  private StageAssignment stage;
  private Map<RankId, RankRefs> directory;
  private RankId buddy;
  private ActorRef<SchedulerMessage> scheduler;
  private float[][] params;
  private OwnedShard shard;
  private long doneStep; // the last step this rank finished (committed or not)
  private long stateStep; // the step the parameters reflect, fully or in part
  private RollbackPoint rollback;
  private StepRun run;
  private PendingReconfigure reconfiguring;
  private Prior prior; // what this rank held before a change the scheduler has not committed yet
  private int installAcksPending; // a new buddy must hold the committed snapshot before training resumes

  /** The rank's state before an uncommitted layout change, to undo it if the change is replaced. */
  private record Prior(Layout layout, List<RankRefs> directory, float[][] params, OwnedShard shard) {}

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
    this.snapshots = context.getSystem().settings().config().getBoolean("elaswave.snapshots");
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
        .onMessage(Reconfigure.class, this::onReconfigure)
        .onMessage(RankMessage.ChangeCommitted.class, m -> {
          if (prior != null && currentEpoch(m.epoch())) {
            prior = null;
          }
          return this;
        })
        .onMessage(SnapshotStored.class, this::onSnapshotStored)
        .onMessage(RankMessage.GatherSent.class, this::onGatherSent)
        .onMessage(RankMessage.DataMessage.class, this::onData)
        .build();
  }

  // ---- layout and state -------------------------------------------------------------------

  private Behavior<RankMessage> onAdoptLayout(AdoptLayout m) {
    scheduler = m.scheduler();
    params = new float[model.layerCount()][];
    StageAssignment mine = m.layout().stageOf(settings.id());
    for (int l = mine.layerFrom(); l < mine.layerTo(); l++) {
      params[l] = model.initParams(l, config.seed());
    }
    adopt(m.layout(), m.directory(), ownedRefs(m.layout()));
    // step 0 is committed too: the job starts once every buddy holds it, so a rank lost during
    // step 1 is restored from it
    installAcksPending = snapshot(0);
    if (installAcksPending == 0) {
      scheduler.tell(new SchedulerMessage.Reconfigured(layout.epoch(), settings.id()));
    }
    replayEarly();
    return this;
  }

  /** Takes a layout: stage, peers, buddy, a shard for the owned blocks, groups edited in place. */
  private void adopt(Layout next, List<RankRefs> peers, List<BlockRef> owned) {
    OwnedShard previous = shard;
    shard = new OwnedShard(model, tree, owned);
    if (previous != null) {
      for (BlockRef b : owned) {
        float[][] mv = previous.moments(b.layer(), b.block());
        if (mv != null) {
          shard.loadMoments(b.layer(), b.block(), mv[0], mv[1]);
        }
      }
    }
    Layout previousLayout = layout;
    layout = next;
    directory = new LinkedHashMap<>();
    peers.forEach(r -> directory.put(r.rank(), r));
    stage = layout.stageOf(settings.id());
    buddy = SnapshotBuddies.of(layout).get(settings.id());
    run = null;
    for (int l = 0; l < params.length; l++) {
      if (!stage.holds(l)) {
        params[l] = null;
        ActorRef<GroupMessage> gone = groups.remove(l);
        if (gone != null) {
          getContext().stop(gone);
        }
      }
    }
    for (int l = stage.layerFrom(); l < stage.layerTo(); l++) {
      adoptGroup(l, previousLayout);
    }
  }

  private List<BlockRef> ownedRefs(Layout of) {
    return of.blocksOwnedBy(settings.id()).stream().map(b -> paramBlocks.blocks(b.layer()).get(b.block())).toList();
  }

  /**
   * Spawns the layer's group, or edits the existing one in place under the new epoch: members
   * that left the layer are removed, new holders added, owners replaced. Groups are never rebuilt.
   */
  private void adoptGroup(int layer, Layout previous) {
    List<RankRefs> members = layout.holdersOfLayer(layer).stream().map(directory::get).toList();
    List<RankId> owners = layout.blockOwners().get(layer);
    ActorRef<GroupMessage> group = groups.get(layer);
    long epoch = layout.epoch();
    if (group == null) {
      var groupSettings = new CommunicatorGroup.Settings(layer, settings.id(), traffic, settings.maxFloatsPerMessage());
      groups.put(layer, getContext().spawn(CommunicatorGroup.create(groupSettings, epoch, members, owners),
          "group-" + layer + "-e" + epoch));
      return;
    }
    List<RankId> now = members.stream().map(RankRefs::rank).toList();
    for (RankId old : previous.holdersOfLayer(layer)) {
      if (!now.contains(old)) {
        group.tell(new GroupMessage.RemoveMember(epoch, old));
      }
    }
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
    doneStep = m.step();
    stateStep = m.step();
    snapshot(m.step());
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
      m.replyTo().tell(new DriverMessage.StateBlocks(doneStep, total, batch));
    }
    return this;
  }

  // ---- the step: 1F1B, then reduce-scatter -----------------------------------------------

  private Behavior<RankMessage> onRunStep(RunStep m) {
    if (!currentEpoch(m.epoch()) || reconfiguring != null) {
      return this;
    }
    if (m.step() != doneStep + 1) {
      getContext().getLog().warn("rank {} asked to run step {} after finishing {}", settings.id(), m.step(), doneStep);
      return this;
    }
    rollback = null; // step doneStep is committed: the scheduler only starts a step after a commit
    int replica = stage.replica();
    run = new StepRun(m.step(), stage.stage(), layout.stageCount(replica), layout.microBatchesOf(replica), tree,
        remoteBlockCount());
    replayEarly();
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
      traffic.sent(out.length);
      neighbour(layout.nextRank(settings.id()).orElseThrow())
          .tell(new Activation(layout.epoch(), run.step, id, new FloatTensor(out)));
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
      traffic.sent(dIn.length);
      neighbour(layout.prevRank(settings.id()).orElseThrow())
          .tell(new ActivationGrad(layout.epoch(), run.step, id, new FloatTensor(dIn)));
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

  private void maybeReportNorms() {
    if (run != null && run.reduceSent && !run.normsSent && shard.reduce(run.step)) {
      scheduler.tell(new SchedulerMessage.NormReport(layout.epoch(), run.step, settings.id(), shard.norms()));
      run.normsSent = true;
    }
  }

  // ---- update, snapshot and all-gather -----------------------------------------------------

  private Behavior<RankMessage> onApplyUpdate(ApplyUpdate m) {
    if (!currentEpoch(m.epoch()) || run == null || m.step() != run.step || !run.normsSent) {
      getContext().getLog().warn("rank {} ignores ApplyUpdate for step {} (epoch {})", settings.id(), m.step(),
          m.epoch());
      return this;
    }
    if (rollback == null) { // peers' blocks may have arrived first; the point was taken then
      rollback = RollbackPoint.capture(m.step() - 1, params, shard);
    }
    stateStep = m.step();
    List<BlockValues> updated = shard.update(m.step(), params, adamW, adamW.scalars(m.step(), m.lr(), m.gradScale()));
    snapshotToBuddy(m.step());
    Map<Integer, List<BlockValues>> byLayer = new LinkedHashMap<>();
    updated.forEach(v -> byLayer.computeIfAbsent(v.layer(), l -> new ArrayList<>()).add(v));
    byLayer.forEach((l, blocks) -> groups.get(l).tell(
        new GroupMessage.AllGather(layout.epoch(), m.step(), blocks, getContext().getSelf())));
    run.gathersPending = byLayer.size();
    run.ownUpdated = true;
    replayEarly();
    maybeFinish();
    return this;
  }

  /** Replicates the owned blocks after {@code step} to the buddy, off the step's critical path. */
  private void snapshotToBuddy(long step) {
    run.snapshotAcksPending = snapshot(step);
  }

  /** Sends the owned blocks' state after {@code step} to the buddy; returns the acks to wait for. */
  private int snapshot(long step) {
    if (!snapshots) {
      return 0;
    }
    // a layer other replicas also hold keeps its parameters there: its buddy needs the moments only
    java.util.Set<Integer> replicated = new java.util.HashSet<>();
    for (int l = stage.layerFrom(); l < stage.layerTo(); l++) {
      if (layout.holdersOfLayer(l).size() > 1) {
        replicated.add(l);
      }
    }
    FloatTensor none = new FloatTensor(new float[0]);
    List<StateBlock> state = shard.state(params).stream()
        .map(s -> replicated.contains(s.layer()) ? new StateBlock(s.layer(), s.block(), none, s.m(), s.v()) : s)
        .toList();
    if (buddy.equals(settings.id())) {
      pool.put(settings.id(), step, state);
      return 0;
    }
    List<List<StateBlock>> batches = TensorBatches.split(state, Rank::floats, settings.maxFloatsPerMessage());
    for (List<StateBlock> batch : batches) {
      traffic.snapshot(batch.stream().mapToInt(Rank::floats).sum());
      directory.get(buddy).inbox().tell(new SnapshotPut(layout.epoch(), step, settings.id(), getContext().getSelf(),
          batch));
    }
    return batches.size();
  }

  private static int floats(StateBlock s) {
    return s.params().length() + s.m().length() + s.v().length();
  }

  private Behavior<RankMessage> onSnapshotStored(SnapshotStored m) {
    if (!currentEpoch(m.epoch())) {
      return this;
    }
    if (run != null && run.step == m.step()) {
      run.snapshotAcksPending--;
      maybeFinish();
    } else if (installAcksPending > 0 && m.step() == doneStep && --installAcksPending == 0) {
      scheduler.tell(new SchedulerMessage.Reconfigured(layout.epoch(), settings.id()));
    }
    return this;
  }

  private Behavior<RankMessage> onGatherSent(RankMessage.GatherSent m) {
    if (currentEpoch(m.epoch()) && run != null && run.step == m.step()) {
      run.gathersPending--;
      maybeFinish();
    }
    return this;
  }

  /** Done when owned blocks are updated, snapshotted and sent, and every peer's block arrived. */
  private void maybeFinish() {
    if (run.ownUpdated && run.gathersPending == 0 && run.snapshotAcksPending == 0
        && run.remoteReceived == run.remoteExpected) {
      long[] t = traffic.drain();
      scheduler.tell(new SchedulerMessage.StepDone(layout.epoch(), run.step, settings.id(), shard.digests(params),
          new SchedulerMessage.RankTraffic(t[0], t[1], t[2], t[3])));
      doneStep = run.step;
      run = null;
    }
  }

  // ---- tensors from peers ------------------------------------------------------------------

  private Behavior<RankMessage> onData(RankMessage.DataMessage m) {
    if (layout == null && reconfiguring == null) {
      early.add(m); // a peer is ahead of this rank's first layout
      return this;
    }
    if (layout == null && !(m instanceof StateTransfer)) {
      early.add(m); // a joining rank takes nothing but its state until it holds a layout
      return this;
    }
    long current = reconfiguring != null ? reconfiguring.epoch() : layout.epoch();
    if (m.epoch() < current) {
      traffic.droppedStale();
      return this;
    }
    if (m instanceof StateTransfer t) {
      return onStateTransfer(t);
    }
    if (reconfiguring != null || m.epoch() > current) {
      early.add(m); // sent under a layout this rank has not taken yet
      return this;
    }
    if (m instanceof SnapshotPut p) {
      pool.put(p.ofRank(), p.step(), p.blocks());
      p.owner().tell(new SnapshotStored(p.epoch(), p.step(), p.ofRank()));
      return this;
    }
    long step = stepOf(m);
    if (step <= doneStep) {
      traffic.droppedStale();
      return this;
    }
    if (run == null || step > run.step || (m instanceof BlockUpdates && !run.reduceSent)) {
      early.add(m);
      return this;
    }
    if (m instanceof Activation a) {
      run.activations.put(a.microBatch(), a.data().values());
      advance();
    } else if (m instanceof ActivationGrad g) {
      run.activationGrads.put(g.microBatch(), g.data().values());
      advance();
    } else if (m instanceof GradPartials p) {
      p.partials().forEach(x -> shard.addPartial(p.step(), x));
      maybeReportNorms();
    } else if (m instanceof BlockUpdates u) {
      applyBlockUpdates(u);
      maybeFinish();
    }
    return this;
  }

  private void applyBlockUpdates(BlockUpdates u) {
    if (rollback == null) {
      rollback = RollbackPoint.capture(u.step() - 1, params, shard);
    }
    stateStep = u.step();
    for (BlockValues v : u.blocks()) {
      BlockRef b = paramBlocks.blocks(v.layer()).get(v.block());
      System.arraycopy(v.values().values(), 0, params[v.layer()], b.from(), b.size());
      run.remoteReceived++;
    }
  }

  private static long stepOf(RankMessage.DataMessage m) {
    if (m instanceof Activation a) {
      return a.step();
    } else if (m instanceof ActivationGrad g) {
      return g.step();
    } else if (m instanceof GradPartials p) {
      return p.step();
    } else if (m instanceof BlockUpdates u) {
      return u.step();
    }
    throw new IllegalArgumentException("no step in " + m.getClass().getSimpleName());
  }

  private void replayEarly() {
    List<RankMessage.DataMessage> ready = new ArrayList<>(early);
    early.clear();
    ready.forEach(d -> getContext().getSelf().tell(d));
  }

  // ---- re-planning: roll back, move state, take the new layout --------------------------------

  private Behavior<RankMessage> onReconfigure(Reconfigure m) {
    try {
      return reconfigure(m);
    } catch (RuntimeException e) { // report, never crash silently: the scheduler decides
      reconfiguring = null;
      m.scheduler().tell(new SchedulerMessage.ReconfigureFailed(m.next().epoch(), settings.id(), e.getMessage()));
      return this;
    }
  }

  private Behavior<RankMessage> reconfigure(Reconfigure m) {
    long committed = m.committedStep();
    installAcksPending = 0;
    if (layout == null && params == null) { // a joining rank: everything it needs arrives by transfer
      params = new float[model.layerCount()][];
      shard = new OwnedShard(model, tree, List.of());
    }
    if (prior != null) { // the previous change was never committed: undo it, re-plan from before it
      restorePrior();
    }
    reconfiguring = null;
    if (stateStep > committed) {
      if (rollback == null || rollback.step() != committed) {
        throw new IllegalStateException("rank " + settings.id() + " cannot roll back from step " + stateStep
            + " to " + committed);
      }
      rollback.restore(params, shard);
    }
    rollback = null;
    run = null;
    doneStep = committed;
    stateStep = committed;
    scheduler = m.scheduler();
    pool.discardAfter(committed);
    sendTransfers(m);
    int incoming = (int) m.transfers().stream().filter(t -> t.to().equals(settings.id())).count();
    reconfiguring = new PendingReconfigure(m, incoming);
    replayEarly(); // transfers that raced ahead of this order; older-epoch data is dropped there
    maybeInstall();
    return this;
  }

  private void sendTransfers(Reconfigure m) {
    Map<RankId, List<MovedBlock>> byTarget = new LinkedHashMap<>();
    for (Transfer t : m.transfers()) {
      if (t.from().equals(settings.id())) {
        byTarget.computeIfAbsent(t.to(), x -> new ArrayList<>()).add(moved(t, m.committedStep()));
      }
    }
    Map<RankId, RankRefs> targets = new HashMap<>();
    m.directory().forEach(r -> targets.put(r.rank(), r));
    byTarget.forEach((to, blocks) -> {
      for (List<MovedBlock> batch : TensorBatches.split(blocks, b -> b.first().length() + b.second().length(),
          settings.maxFloatsPerMessage())) {
        traffic.sent(batch.stream().mapToInt(b -> b.first().length() + b.second().length()).sum());
        targets.get(to).inbox().tell(new StateTransfer(m.next().epoch(), batch));
      }
    });
  }

  /** The state a transfer asks for: live, or from the snapshot kept for a lost rank. */
  private MovedBlock moved(Transfer t, long committed) {
    BlockRef b = paramBlocks.blocks(t.layer()).get(t.block());
    FloatTensor none = new FloatTensor(new float[0]);
    if (t.fromSnapshot()) {
      StateBlock s = pool.get(t.ofRank(), committed, t.layer(), t.block());
      if (s == null) {
        throw new IllegalStateException("no snapshot of " + t.ofRank() + " block " + t.layer() + "/" + t.block()
            + " at step " + committed);
      }
      if (t.kind() == Transfer.Kind.PARAMS && s.params().length() == 0) {
        throw new IllegalStateException("parameters of block " + t.layer() + "/" + t.block() + " lived only in the"
            + " replicas that were lost with " + t.ofRank());
      }
      return t.kind() == Transfer.Kind.PARAMS ? new MovedBlock(t.layer(), t.block(), t.kind(), s.params(), none)
          : new MovedBlock(t.layer(), t.block(), t.kind(), s.m(), s.v());
    }
    if (t.kind() == Transfer.Kind.PARAMS) {
      return new MovedBlock(t.layer(), t.block(), t.kind(),
          new FloatTensor(java.util.Arrays.copyOfRange(params[t.layer()], b.from(), b.to())), none);
    }
    float[][] mv = shard.moments(t.layer(), t.block());
    return new MovedBlock(t.layer(), t.block(), t.kind(), new FloatTensor(mv[0].clone()),
        new FloatTensor(mv[1].clone()));
  }

  private Behavior<RankMessage> onStateTransfer(StateTransfer t) {
    if (reconfiguring == null || t.epoch() > reconfiguring.epoch()) {
      early.add(t); // the Reconfigure that announces it has not arrived yet
      return this;
    }
    Reconfigure order = reconfiguring.order;
    try {
      t.blocks().forEach(reconfiguring::add);
      maybeInstall();
    } catch (RuntimeException e) {
      reconfiguring = null;
      order.scheduler().tell(new SchedulerMessage.ReconfigureFailed(order.next().epoch(), settings.id(),
          e.getMessage()));
    }
    return this;
  }

  /** Once every expected block is in: check parameters against the committed digests, take the layout. */
  private void maybeInstall() {
    if (reconfiguring == null || !reconfiguring.complete()) {
      return;
    }
    Reconfigure order = reconfiguring.order;
    Map<BlockId, Long> digests = new HashMap<>();
    order.committedDigests().forEach(d -> digests.put(new BlockId(d.layer(), d.block()), d.digest()));
    StageAssignment next = order.next().stageOf(settings.id());
    for (int l = next.layerFrom(); l < next.layerTo(); l++) {
      if (params[l] == null) {
        params[l] = new float[paramBlocks.layerSize(l)];
      }
    }
    for (MovedBlock p : reconfiguring.params.values()) {
      BlockRef b = paramBlocks.blocks(p.layer()).get(p.block());
      Long want = digests.get(new BlockId(p.layer(), p.block()));
      long got = Digest.ofRange(p.first().values(), 0, b.size());
      if (want != null && want != got) {
        reconfiguring = null;
        order.scheduler().tell(new SchedulerMessage.ReconfigureFailed(order.next().epoch(), settings.id(),
            "block " + b.layer() + "/" + b.block() + " arrived with digest " + Digest.hex(got) + ", committed "
                + Digest.hex(want)));
        return;
      }
      System.arraycopy(p.first().values(), 0, params[p.layer()], b.from(), b.size());
    }
    prior = layout == null ? null : new Prior(layout, List.copyOf(directory.values()), params.clone(), shard);
    adopt(order.next(), order.directory(), ownedRefs(order.next()));
    for (MovedBlock mv : reconfiguring.moments.values()) {
      shard.loadMoments(mv.layer(), mv.block(), mv.first().values(), mv.second().values());
    }
    reconfiguring = null;
    scheduler = order.scheduler();
    installAcksPending = snapshot(doneStep); // buddies may have changed: the new one gets the committed state
    if (installAcksPending == 0) {
      scheduler.tell(new SchedulerMessage.Reconfigured(order.next().epoch(), settings.id()));
    }
    replayEarly();
  }

  /**
   * Undoes an uncommitted change: back to the layout, parameters and shard held before it. Groups
   * keep their newer epoch; the next adopt edits them relative to the restored layout.
   */
  private void restorePrior() {
    Prior p = prior;
    prior = null;
    layout = p.layout();
    params = p.params().clone();
    shard = p.shard();
    directory = new LinkedHashMap<>();
    p.directory().forEach(r -> directory.put(r.rank(), r));
    stage = layout.stageOf(settings.id());
    buddy = SnapshotBuddies.of(layout).get(settings.id());
    run = null;
  }

  // ---- helpers -------------------------------------------------------------------------------

  private boolean currentEpoch(long epoch) {
    return layout != null && epoch == layout.epoch();
  }

  private int remoteBlockCount() {
    int total = 0;
    for (int l = stage.layerFrom(); l < stage.layerTo(); l++) {
      total += paramBlocks.blocks(l).size();
    }
    return total - layout.blocksOwnedBy(settings.id()).size();
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
