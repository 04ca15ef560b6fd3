package io.elaswave.actors.scheduler;

import io.elaswave.actors.rank.SharedCorpus;
import io.elaswave.engine.model.Model;
import io.elaswave.engine.optim.GradClip;
import io.elaswave.engine.train.ReferenceTrainer;
import io.elaswave.engine.train.TrainConfig;
import io.elaswave.persistence.Ack;
import io.elaswave.persistence.BlockDigestEntry;
import io.elaswave.persistence.JobLedger;
import io.elaswave.persistence.LedgerState;
import io.elaswave.planner.Layout;
import io.elaswave.planner.ModelProfile;
import io.elaswave.planner.NodeId;
import io.elaswave.planner.PlanRequest;
import io.elaswave.planner.RankId;
import io.elaswave.planner.RankInfo;
import io.elaswave.planner.StagePartitioner;
import io.elaswave.planner.StaticPlanner;
import io.elaswave.planner.elastic.ElasticPlanner;
import io.elaswave.planner.elastic.SnapshotBuddies;
import io.elaswave.planner.elastic.Transfer;
import io.elaswave.planner.elastic.TransferPlan;
import io.elaswave.protocol.runtime.DriverMessage;
import io.elaswave.protocol.runtime.JobSpec;
import io.elaswave.protocol.runtime.NodeMessage;
import io.elaswave.protocol.runtime.RankMessage;
import io.elaswave.protocol.runtime.RankRefs;
import io.elaswave.protocol.runtime.Recovery;
import io.elaswave.protocol.runtime.SchedulerMessage;
import io.elaswave.protocol.runtime.SchedulerMessage.CollectState;
import io.elaswave.protocol.runtime.SchedulerMessage.DeathChecked;
import io.elaswave.protocol.runtime.SchedulerMessage.LivenessTick;
import io.elaswave.protocol.runtime.SchedulerMessage.LossReport;
import io.elaswave.protocol.runtime.SchedulerMessage.NodeAvailable;
import io.elaswave.protocol.runtime.SchedulerMessage.NormReport;
import io.elaswave.protocol.runtime.SchedulerMessage.RanksSpawned;
import io.elaswave.protocol.runtime.SchedulerMessage.Reconfigured;
import io.elaswave.protocol.runtime.SchedulerMessage.ReconfigureFailed;
import io.elaswave.protocol.runtime.SchedulerMessage.RunNextStep;
import io.elaswave.protocol.runtime.SchedulerMessage.StartJob;
import io.elaswave.protocol.runtime.SchedulerMessage.StartTimedOut;
import io.elaswave.protocol.runtime.SchedulerMessage.StateLoaded;
import io.elaswave.protocol.runtime.SchedulerMessage.StepDone;
import io.elaswave.protocol.runtime.SchedulerMessage.StopJob;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Down;

/**
 * The job's coordinator. Start: place ranks, plan, spawn, adopt the layout, load a checkpoint if
 * asked. Each step: RunStep → losses and norms → ApplyUpdate → StepDone from every rank →
 * commit, then answer the driver. Liveness: a node whose heartbeats stop is checked for death
 * (process gone, connection refused); a confirmed death downs the node, abandons the step in
 * flight, re-plans without its ranks, moves their state from survivors and snapshot buddies,
 * and reruns the abandoned step under the new epoch.
 */
public final class Scheduler extends AbstractBehavior<SchedulerMessage> {
  private final NodeRegistry nodes = new NodeRegistry();
  private final Set<NodeId> checking = new HashSet<>();
  private final Set<NodeId> slowButAlive = new HashSet<>(); // warned once per silence
  private final TimerScheduler<SchedulerMessage> timers;
  private final long silenceNanos;
  private StartJob waiting;
  private long startAttempts;
  private Job job;
  private final ActorRef<JobLedger.Command> ledger;
  private final Map<Long, Runnable> afterLedger = new java.util.HashMap<>();
  private long ledgerTokens;
  private boolean ledgerLoaded;
  private final List<SchedulerMessage> beforeLedger = new ArrayList<>(); // driver requests during recovery

  private Scheduler(ActorContext<SchedulerMessage> context, TimerScheduler<SchedulerMessage> timers) {
    super(context);
    this.timers = timers;
    this.silenceNanos = config().getDuration("elaswave.suspect-after").toNanos();
    timers.startTimerWithFixedDelay("liveness", new LivenessTick(), config().getDuration("elaswave.liveness-tick"));
    // the ledger recovers from the journal first: after a fail-over it holds the job this
    // scheduler takes over
    this.ledger = context.spawn(JobLedger.create(), "ledger");
    context.ask(LedgerState.class, ledger, java.time.Duration.ofSeconds(30), JobLedger.GetState::new,
        (state, error) -> state != null
            ? new SchedulerMessage.LedgerLoaded(state.hasActiveJob() ? state.spec() : null,
                state.hasActiveJob() ? state.layout() : null, state.committedStep(),
                state.committedBlockDigests().stream().map(BlockDigestEntry::toBlockDigest).toList())
            : new SchedulerMessage.LedgerLoaded(null, null, 0, List.of()));
  }

  public static Behavior<SchedulerMessage> create() {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new Scheduler(ctx, timers)));
  }

  @Override public Receive<SchedulerMessage> createReceive() {
    return newReceiveBuilder()
        .onMessage(SchedulerMessage.LedgerLoaded.class, this::onLedgerLoaded)
        .onMessage(SchedulerMessage.LedgerAcked.class, this::onLedgerAcked)
        .onMessage(SchedulerMessage.TakeOverReady.class, this::onTakeOverReady)
        .onMessage(StartJob.class, m -> ledgerLoaded ? onStartJob(m) : defer(m))
        .onMessage(RunNextStep.class, m -> ledgerLoaded ? onRunNextStep(m) : defer(m))
        .onMessage(NodeAvailable.class, this::onNodeAvailable)
        .onMessage(StartTimedOut.class, this::onStartTimedOut)
        .onMessage(RanksSpawned.class, this::onRanksSpawned)
        .onMessage(StateLoaded.class, this::onStateLoaded)
        .onMessage(LossReport.class, this::onLossReport)
        .onMessage(NormReport.class, this::onNormReport)
        .onMessage(StepDone.class, this::onStepDone)
        .onMessage(CollectState.class, this::onCollectState)
        .onMessage(StopJob.class, this::onStopJob)
        .onMessage(LivenessTick.class, this::onLivenessTick)
        .onMessage(DeathChecked.class, this::onDeathChecked)
        .onMessage(Reconfigured.class, this::onReconfigured)
        .onMessage(ReconfigureFailed.class, this::onReconfigureFailed)
        .onMessage(SchedulerMessage.AwaitNode.class, this::onAwaitNode)
        .build();
  }

  private final Map<NodeId, List<ActorRef<DriverMessage>>> awaitingNodes = new TreeMap<>();

  private Behavior<SchedulerMessage> onNodeAvailable(NodeAvailable m) {
    slowButAlive.remove(m.node());
    if (nodes.heard(m, System.nanoTime())) {
      getContext().getLog().info("node {} ({}, pid {}) offers room for {} ranks", m.node().name(), m.address(), m.pid(),
          m.capacity());
      awaitingNodes.getOrDefault(m.node(), List.of()).forEach(r -> r.tell(new DriverMessage.NodeKnown(m.node())));
      awaitingNodes.remove(m.node());
      if (waiting != null) {
        tryStart(waiting);
      } else if (job != null && job.running && job.layout.ranks().stream().noneMatch(r -> r.node().equals(m.node()))) {
        job.joinable.add(m.node()); // taken at the next step boundary
        maybeStartJoin();
      }
    }
    return this;
  }

  private Behavior<SchedulerMessage> onAwaitNode(SchedulerMessage.AwaitNode m) {
    if (nodes.get(m.node()) != null) {
      m.replyTo().tell(new DriverMessage.NodeKnown(m.node()));
    } else {
      awaitingNodes.computeIfAbsent(m.node(), n -> new ArrayList<>()).add(m.replyTo());
    }
    return this;
  }

  /** Between steps, with no other change under way: spawn ranks on a joinable node. */
  private void maybeStartJoin() {
    if (job.tx != null || job.change != null || job.joining != null || job.joinable.isEmpty()) {
      return;
    }
    NodeId node = job.joinable.iterator().next();
    job.joinable.remove(node);
    NodeAvailable n = nodes.get(node);
    if (n == null) {
      return;
    }
    List<RankId> ranks = new ArrayList<>();
    for (int i = 0; i < n.capacity(); i++) {
      ranks.add(RankId.of(job.nextRankId++));
    }
    job.joining = node;
    n.guardian().tell(new NodeMessage.SpawnRanks(job.spec, ranks, getContext().getSelf()));
  }

  /** The joining node's ranks exist: re-plan with them and move layers and blocks to them. */
  private void join(RanksSpawned m) {
    long detected = System.currentTimeMillis();
    job.joining = null;
    List<RankInfo> joined = m.ranks().stream().map(r -> new RankInfo(r.rank(), m.node())).toList();
    Layout next;
    List<Transfer> transfers;
    try {
      next = ElasticPlanner.afterJoin(job.layout, joined, job.spec.pp(), job.profile, StagePartitioner.NO_MEMORY_CAP);
      transfers = TransferPlan.between(job.layout, next, Set.of(), SnapshotBuddies.of(job.layout), job.blocks);
    } catch (RuntimeException e) {
      getContext().getLog().warn("node {} cannot join: {}", m.node().name(), e.getMessage());
      nodes.get(m.node()).guardian().tell(new NodeMessage.StopRanks());
      return;
    }
    m.ranks().forEach(r -> job.ranks.put(r.rank(), r));
    announce(new Job.Change("node-joined", next, new HashSet<>(job.ranks.keySet()), List.of(m.node()),
        joined.stream().map(RankInfo::rank).toList(), -1, detected), transfers);
  }

  /**
   * Records the change's layout in the ledger, then tells every rank of the job to move to it;
   * a change replaced meanwhile (a loss during recovery) is never announced.
   */
  private void announce(Job.Change change, List<Transfer> transfers) {
    job.change = change;
    Layout next = change.next();
    List<RankRefs> directory = List.copyOf(job.ranks.values());
    long committed = job.committed;
    List<io.elaswave.protocol.runtime.BlockDigest> digests = job.committedDigestList();
    record(r -> new JobLedger.AdoptPlan(next, next.reason(), r), () -> {
      if (job != null && job.change == change) {
        for (RankRefs r : directory) {
          r.control().tell(new RankMessage.Reconfigure(next, directory, committed, transfers, digests,
              getContext().getSelf()));
        }
      }
    });
    getContext().getLog().warn("re-planned {} -> {}: {}", job.layout.name(), next.name(), next.reason());
  }

  // ---- the ledger and take-over ------------------------------------------------------------------

  private Behavior<SchedulerMessage> defer(SchedulerMessage m) {
    beforeLedger.add(m);
    return this;
  }

  /** Writes to the ledger and runs {@code then} once it is durable; a refusal fails the job. */
  private void record(java.util.function.Function<ActorRef<Ack>, JobLedger.Command> command, Runnable then) {
    long token = ++ledgerTokens;
    afterLedger.put(token, then);
    getContext().ask(Ack.class, ledger, java.time.Duration.ofSeconds(30), command::apply,
        (ack, error) -> new SchedulerMessage.LedgerAcked(token, ack != null && ack.isAccepted(),
            ack instanceof Ack.Rejected r ? r.reason() : error != null ? error.toString() : ""));
  }

  private Behavior<SchedulerMessage> onLedgerAcked(SchedulerMessage.LedgerAcked m) {
    Runnable then = afterLedger.remove(m.token());
    if (then == null) {
      return this;
    }
    if (m.accepted()) {
      then.run();
    } else if (job != null) {
      fail("the job ledger refused a write: " + m.reason());
    }
    return this;
  }

  private Behavior<SchedulerMessage> onLedgerLoaded(SchedulerMessage.LedgerLoaded m) {
    ledgerLoaded = true;
    if (m.spec() != null && m.layout() != null) {
      takeOver(m);
    }
    List<SchedulerMessage> held = new ArrayList<>(beforeLedger);
    beforeLedger.clear();
    held.forEach(x -> getContext().getSelf().tell(x));
    return this;
  }

  /**
   * A previous scheduler ran this job and its node is gone: rebuild the job from the ledger, give
   * live nodes one heartbeat grace to report their ranks, then re-plan without the missing ones.
   */
  private void takeOver(SchedulerMessage.LedgerLoaded m) {
    Model model = model(m.spec().config());
    job = new Job(m.spec(), null, ReferenceTrainer.paramBlocks(model), profile(m.spec()),
        m.spec().config().tokensPerStep(model.config().seqLen()), m.layout());
    job.committed = m.committedStep();
    Map<io.elaswave.planner.BlockId, Long> digests = new java.util.HashMap<>();
    m.committedDigests().forEach(d -> digests.put(new io.elaswave.planner.BlockId(d.layer(), d.block()), d.digest()));
    job.committedDigests = Map.copyOf(digests);
    job.nextRankId = m.layout().rankIds().stream().mapToInt(RankId::value).max().orElse(-1) + 1;
    job.takingOver = System.currentTimeMillis();
    getContext().getLog().warn("taking over job {} at step {} under {}", m.spec().config().model(), job.committed,
        m.layout().name());
    timers.startSingleTimer("take-over", new SchedulerMessage.TakeOverReady(),
        config().getDuration("elaswave.take-over-grace"));
  }

  private Behavior<SchedulerMessage> onTakeOverReady(SchedulerMessage.TakeOverReady m) {
    if (job == null || job.takingOver == 0) {
      return this;
    }
    Set<RankId> live = new HashSet<>();
    for (RankInfo r : job.layout.ranks()) {
      NodeAvailable n = nodes.get(r.node());
      if (n != null) {
        n.ranks().stream().filter(x -> x.rank().equals(r.rank())).findFirst().ifPresent(x -> {
          job.ranks.put(x.rank(), x);
          live.add(x.rank());
        });
      }
    }
    Set<RankId> lost = new HashSet<>(job.layout.rankIds());
    lost.removeAll(live);
    List<NodeId> lostNodes = job.layout.ranks().stream().filter(r -> lost.contains(r.rank())).map(RankInfo::node)
        .distinct().toList();
    job.running = true;
    job.waitingStep = job.committed + 1; // the step the lost scheduler had in flight, or the next one
    moveTo(lost, lostNodes, job.takingOver, "scheduler-failover");
    job.takingOver = 0;
    return this;
  }

  // ---- start -------------------------------------------------------------------------------

  private Behavior<SchedulerMessage> onStartJob(StartJob m) {
    if (job != null || waiting != null) {
      m.replyTo().tell(new DriverMessage.JobRejected("a job is already running"));
      return this;
    }
    try { // shape errors (too many stages, too few micro-batches) do not wait for room
      StaticPlanner.plan(request(m.job(), RankInfo.packed(m.job().ranks(), m.job().ranks(), "any-node-")));
    } catch (IllegalArgumentException e) {
      m.replyTo().tell(new DriverMessage.JobRejected(e.getMessage()));
      return this;
    }
    waiting = m;
    timers.startSingleTimer("start", new StartTimedOut(++startAttempts), config().getDuration("elaswave.start-timeout"));
    tryStart(m);
    return this;
  }

  private Behavior<SchedulerMessage> onStartTimedOut(StartTimedOut m) {
    if (waiting != null && m.attempt() == startAttempts) {
      waiting.replyTo().tell(new DriverMessage.JobRejected("the job needs " + waiting.job().ranks()
          + " ranks but the nodes have room for " + nodes.room() + " after waiting "
          + config().getDuration("elaswave.start-timeout").toSeconds() + " s"));
      waiting = null;
    }
    return this;
  }

  /** Places, plans and spawns the job once the nodes have room for it. */
  private void tryStart(StartJob m) {
    if (nodes.room() < m.job().ranks()) {
      return;
    }
    waiting = null;
    timers.cancel("start");
    Layout layout = StaticPlanner.plan(request(m.job(), RankPlacement.place(m.job().ranks(), nodes.capacity())));
    TrainConfig config = m.job().config();
    Model model = model(config);
    job = new Job(m.job(), m.replyTo(), ReferenceTrainer.paramBlocks(model), profile(m.job()),
        config.tokensPerStep(model.config().seqLen()), layout);
    job.nextRankId = m.job().ranks();
    Map<NodeId, List<RankId>> byNode = new TreeMap<>();
    layout.ranks().forEach(r -> byNode.computeIfAbsent(r.node(), n -> new ArrayList<>()).add(r.rank()));
    byNode.forEach((node, ranks) -> {
      job.pendingNodes.add(node);
      nodes.get(node).guardian().tell(new NodeMessage.SpawnRanks(m.job(), ranks, getContext().getSelf()));
    });
    getContext().getLog().info("planned {}: {}", layout.name(), layout.reason());
  }

  private static PlanRequest request(JobSpec job, List<RankInfo> ranks) {
    return PlanRequest.of(ranks, job.dp(), job.pp(), job.config().microBatches(), profile(job));
  }

  private static ModelProfile profile(JobSpec job) {
    return ModelProfile.estimate(model(job.config()).config(), job.dp());
  }

  private static Model model(TrainConfig config) {
    return new Model(config.modelConfig(SharedCorpus.get().vocab().size()));
  }

  private Behavior<SchedulerMessage> onRanksSpawned(RanksSpawned m) {
    if (job != null && m.node().equals(job.joining)) {
      join(m);
      return this;
    }
    if (job == null || !job.pendingNodes.remove(m.node())) {
      return this;
    }
    m.ranks().forEach(r -> job.ranks.put(r.rank(), r));
    if (!job.pendingNodes.isEmpty()) {
      return this;
    }
    List<RankRefs> directory = List.copyOf(job.ranks.values());
    job.pendingAdopts.addAll(job.ranks.keySet());
    Job started = job;
    record(r -> new JobLedger.StartJob(started.spec, r), () -> record(
        r -> new JobLedger.AdoptPlan(started.layout, started.layout.reason(), r), () -> {
          for (RankRefs rank : directory) {
            rank.control().tell(new RankMessage.AdoptLayout(started.layout, directory, getContext().getSelf()));
          }
        }));
    return this;
  }

  /** Every rank holds the first layout and its buddy holds its step-0 snapshot. */
  private void adopted() {
    if (job.spec.resumeFrom().isEmpty()) {
      started(0);
    } else {
      loadCheckpoint();
    }
  }

  private void loadCheckpoint() {
    try {
      CheckpointLoad load = CheckpointLoad.read(job.spec, job.layout, job.blocks, maxFloats());
      job.committed = load.step();
      job.pendingLoads = load.deliveries().size();
      load.deliveries().forEach(d -> job.ranks.get(d.rank()).control().tell(d.message()));
    } catch (RuntimeException e) { // a corrupt or mismatched checkpoint: refuse the job, keep nothing
      job.starter.tell(new DriverMessage.JobRejected(e.getMessage()));
      stopRanks();
    }
  }

  private Behavior<SchedulerMessage> onStateLoaded(StateLoaded m) {
    if (job != null && !job.running && m.epoch() == job.layout.epoch() && --job.pendingLoads == 0) {
      long step = job.committed;
      record(r -> new JobLedger.ResumeAt(step, r), () -> started(step));
    }
    return this;
  }

  private void started(long step) {
    job.running = true;
    job.committed = step;
    job.starter.tell(new DriverMessage.JobStarted(job.layout.name(), step));
  }

  // ---- the step transaction ----------------------------------------------------------------

  private Behavior<SchedulerMessage> onRunNextStep(RunNextStep m) {
    if (job != null && job.takingOver != 0 && m.step() == job.committed + 1) {
      job.stepReplyTo = m.replyTo(); // answered once the take-over re-plan is done
      job.waitingStep = m.step();
    } else if (job == null || !job.running) {
      m.replyTo().tell(new DriverMessage.JobRejected("no job is running"));
    } else if (job.lastCommit != null && m.step() == job.committed) {
      m.replyTo().tell(job.lastCommit);
    } else if ((job.tx != null && job.tx.step == m.step())
        || ((job.change != null || job.joining != null) && m.step() == job.committed + 1)) {
      job.stepReplyTo = m.replyTo(); // running, or waiting for a re-plan to rerun it
      job.waitingStep = m.step();
    } else if (job.tx == null && m.step() == job.committed + 1) {
      job.stepReplyTo = m.replyTo();
      job.waitingStep = m.step();
      maybeStartJoin();
      if (job.change == null && job.joining == null) {
        beginStep(m.step());
      }
    } else {
      m.replyTo().tell(new DriverMessage.JobRejected(
          "cannot run step " + m.step() + " after committing step " + job.committed));
    }
    return this;
  }

  private void beginStep(long step) {
    job.tx = new StepTransaction(step, job.layout, job.blocks);
    job.ranks.values().forEach(r -> r.control().tell(new RankMessage.RunStep(job.layout.epoch(), step)));
  }

  private Behavior<SchedulerMessage> onLossReport(LossReport m) {
    if (inFlight(m.epoch(), m.step())) {
      job.tx.add(m);
      maybeUpdate();
    }
    return this;
  }

  private Behavior<SchedulerMessage> onNormReport(NormReport m) {
    if (inFlight(m.epoch(), m.step())) {
      job.tx.add(m);
      maybeUpdate();
    }
    return this;
  }

  private void maybeUpdate() {
    StepTransaction tx = job.tx;
    if (tx.readyForUpdate()) {
      TrainConfig config = job.spec.config();
      float lr = config.schedule().at(tx.step);
      float scale = GradClip.scale(tx.gradNorm(), config.adamW().gradClip());
      tx.markUpdateSent();
      job.ranks.values().forEach(r -> r.control().tell(
          new RankMessage.ApplyUpdate(job.layout.epoch(), tx.step, lr, scale)));
    }
  }

  private Behavior<SchedulerMessage> onStepDone(StepDone m) {
    if (!inFlight(m.epoch(), m.step())) {
      return this;
    }
    StepTransaction tx = job.tx;
    tx.add(m);
    if (tx.complete() && !tx.recording) {
      tx.recording = true;
      List<BlockDigestEntry> entries = new ArrayList<>();
      tx.blockDigests().forEach((id, d) -> entries.add(new BlockDigestEntry(id.layer(), id.block(), d)));
      long epoch = job.layout.epoch();
      float loss = tx.loss(job.tokensPerStep);
      // committed only once durable: a scheduler that dies before this never reported the step
      record(r -> new JobLedger.CommitStep(tx.step, epoch, tx.digest(), loss, entries, r), () -> commit(tx));
    }
    return this;
  }

  private void commit(StepTransaction tx) {
    if (job == null || job.tx != tx) {
      return;
    }
    {
      TrainConfig config = job.spec.config();
      job.lastCommit = new DriverMessage.StepCommitted(tx.step, tx.loss(job.tokensPerStep), tx.digest(),
          config.schedule().at(tx.step), tx.gradNorm(), job.tokensPerStep, job.layout.name(), tx.bytes(),
          tx.messages(), List.copyOf(job.recoveries));
      job.recoveries.clear();
      job.committed = tx.step;
      job.committedDigests = tx.blockDigests();
      job.tx = null;
      job.waitingStep = -1;
      if (job.stepReplyTo != null) { // after a take-over the driver's repeat may come later: it gets lastCommit
        job.stepReplyTo.tell(job.lastCommit);
      }
      maybeStartJoin();
    }
  }

  private boolean inFlight(long epoch, long step) {
    return job != null && job.tx != null && epoch == job.layout.epoch() && step == job.tx.step;
  }

  // ---- liveness and re-planning ----------------------------------------------------------------

  private Behavior<SchedulerMessage> onLivenessTick(LivenessTick m) {
    if (job == null || !job.running) {
      return this;
    }
    Set<NodeId> used = new HashSet<>();
    job.layout.ranks().forEach(r -> used.add(r.node()));
    for (NodeId node : nodes.silent(System.nanoTime(), silenceNanos)) {
      if (used.contains(node) && checking.add(node)) {
        NodeAvailable last = nodes.get(node);
        ActorRef<SchedulerMessage> self = getContext().getSelf();
        CompletableFuture.supplyAsync(() -> DeathCheck.evidence(last.pid(), last.address()))
            .whenComplete((evidence, error) -> self.tell(new DeathChecked(node, evidence != null,
                evidence != null ? evidence : error != null ? error.toString() : "alive")));
      }
    }
    return this;
  }

  private Behavior<SchedulerMessage> onDeathChecked(DeathChecked m) {
    checking.remove(m.node());
    if (!m.dead()) {
      if (slowButAlive.add(m.node())) {
        getContext().getLog().warn("node {} is silent but not dead ({}): slow, not lost; waiting", m.node().name(),
            m.evidence());
      }
      return this;
    }
    NodeAvailable last = nodes.get(m.node());
    nodes.remove(m.node());
    getContext().getLog().warn("node {} is dead: {}", m.node().name(), m.evidence());
    downNode(last.address());
    if (job != null && job.running) {
      replanWithout(List.of(m.node()));
    }
    return this;
  }

  private void downNode(String address) {
    int colon = address.lastIndexOf(':');
    Address a = new Address("pekko", getContext().getSystem().name(), address.substring(0, colon),
        Integer.parseInt(address.substring(colon + 1)));
    Cluster.get(getContext().getSystem()).manager().tell(new Down(a));
  }

  /** Abandons the step in flight and moves the job to a layout without the lost nodes' ranks. */
  private void replanWithout(List<NodeId> lostNodes) {
    Set<RankId> lost = new HashSet<>();
    job.layout.ranks().stream().filter(r -> lostNodes.contains(r.node())).forEach(r -> lost.add(r.rank()));
    if (!lost.isEmpty()) {
      moveTo(lost, lostNodes, System.currentTimeMillis(), "node-dead");
    }
  }

  /**
   * Moves the job to a layout without {@code lostNow}: every live rank rolls back to the
   * committed step, state moves from survivors and buddies, the plan is recorded in the ledger
   * before any rank hears of it. A loss during another change re-plans from the same committed
   * layout under a fresh epoch.
   */
  private void moveTo(Set<RankId> lostNow, List<NodeId> nodesNow, long detected, String kind) {
    Set<RankId> lost = new HashSet<>(lostNow);
    List<NodeId> allNodes = new ArrayList<>(nodesNow);
    List<RankId> allLost = new ArrayList<>(lostNow);
    long epoch = job.layout.epoch() + 1;
    if (job.change != null) {
      allNodes.addAll(job.change.nodes());
      allLost.addAll(job.change.lost());
      lost.addAll(job.change.lost());
      epoch = job.change.next().epoch() + 1;
      detected = job.change.detectedAtMillis();
      kind = job.change.kind();
    }
    Layout next;
    List<Transfer> transfers;
    try {
      next = ElasticPlanner.afterLoss(job.layout, lost, job.profile, StagePartitioner.NO_MEMORY_CAP).withEpoch(epoch);
      transfers = TransferPlan.between(job.layout, next, lost, SnapshotBuddies.of(job.layout), job.blocks);
    } catch (RuntimeException e) {
      fail("cannot recover from losing " + lost + ": " + e.getMessage());
      return;
    }
    long abandoned = job.tx != null ? job.tx.step : job.waitingStep;
    job.tx = null;
    lost.forEach(job.ranks::remove);
    announce(new Job.Change(kind, next, new HashSet<>(job.ranks.keySet()), allNodes, allLost, abandoned, detected),
        transfers);
  }

  private Behavior<SchedulerMessage> onReconfigured(Reconfigured m) {
    if (job != null && !job.running && job.change == null && m.epoch() == job.layout.epoch()) {
      if (job.pendingAdopts.remove(m.rank()) && job.pendingAdopts.isEmpty()) {
        adopted();
      }
      return this;
    }
    if (job == null || job.change == null || m.epoch() != job.change.next().epoch()) {
      return this;
    }
    job.change.awaiting().remove(m.rank());
    if (job.change.awaiting().isEmpty()) {
      Job.Change change = job.change;
      job.layout = change.next();
      job.change = null;
      job.ranks.values().forEach(r -> r.control().tell(new RankMessage.ChangeCommitted(job.layout.epoch())));
      job.recoveries.add(new Recovery(change.kind(), change.nodes(), change.lost(), job.layout.name(),
          change.abandonedStep(), change.detectedAtMillis(), change.detectedAtMillis(), System.currentTimeMillis()));
      getContext().getLog().warn("{}: running under {}", change.kind(), job.layout.name());
      maybeStartJoin();
      if (job.waitingStep == job.committed + 1 && job.change == null && job.joining == null) {
        beginStep(job.waitingStep); // the abandoned or waiting step, under the new epoch
      }
    }
    return this;
  }

  private Behavior<SchedulerMessage> onReconfigureFailed(ReconfigureFailed m) {
    if (job != null && job.change != null && m.epoch() == job.change.next().epoch()) {
      fail("rank " + m.rank() + " could not take " + job.change.next().name() + ": " + m.reason());
    }
    return this;
  }

  private void fail(String reason) {
    getContext().getLog().error("job failed: {}", reason);
    if (job.stepReplyTo != null) {
      job.stepReplyTo.tell(new DriverMessage.JobRejected(reason));
    }
    stopRanks();
    record(JobLedger.EndJob::new, () -> { }); // the failed job is over: a new one may start
  }

  // ---- state and stop ----------------------------------------------------------------------

  private Behavior<SchedulerMessage> onCollectState(CollectState m) {
    if (job == null || !job.running || job.tx != null || job.change != null) {
      m.replyTo().tell(new DriverMessage.JobRejected("state can be collected only between steps of a running job"));
      return this;
    }
    job.ranks.values().forEach(r -> r.control().tell(new RankMessage.GatherState(job.layout.epoch(), m.replyTo())));
    return this;
  }

  private Behavior<SchedulerMessage> onStopJob(StopJob m) {
    if (job == null) {
      m.replyTo().tell(new DriverMessage.JobStopped());
      return this;
    }
    stopRanks();
    record(JobLedger.EndJob::new, () -> m.replyTo().tell(new DriverMessage.JobStopped()));
    return this;
  }

  private void stopRanks() {
    Set<NodeId> used = new HashSet<>();
    job.layout.ranks().forEach(r -> used.add(r.node()));
    used.stream().map(nodes::get).filter(n -> n != null).forEach(n -> n.guardian().tell(new NodeMessage.StopRanks()));
    job = null;
  }

  private int maxFloats() {
    return config().getInt("elaswave.max-floats-per-message");
  }

  private com.typesafe.config.Config config() {
    return getContext().getSystem().settings().config();
  }
}
