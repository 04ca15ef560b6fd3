package io.elaswave.actors.scheduler;

import io.elaswave.actors.rank.SharedCorpus;
import io.elaswave.engine.model.Model;
import io.elaswave.engine.optim.GradClip;
import io.elaswave.engine.param.ParamBlocks;
import io.elaswave.engine.train.ReferenceTrainer;
import io.elaswave.engine.train.TrainConfig;
import io.elaswave.planner.Layout;
import io.elaswave.planner.ModelProfile;
import io.elaswave.planner.NodeId;
import io.elaswave.planner.PlanRequest;
import io.elaswave.planner.RankId;
import io.elaswave.planner.RankInfo;
import io.elaswave.planner.StaticPlanner;
import io.elaswave.protocol.runtime.DriverMessage;
import io.elaswave.protocol.runtime.JobSpec;
import io.elaswave.protocol.runtime.NodeMessage;
import io.elaswave.protocol.runtime.RankMessage;
import io.elaswave.protocol.runtime.RankRefs;
import io.elaswave.protocol.runtime.SchedulerMessage;
import io.elaswave.protocol.runtime.SchedulerMessage.CollectState;
import io.elaswave.protocol.runtime.SchedulerMessage.LossReport;
import io.elaswave.protocol.runtime.SchedulerMessage.NodeAvailable;
import io.elaswave.protocol.runtime.SchedulerMessage.NormReport;
import io.elaswave.protocol.runtime.SchedulerMessage.RanksSpawned;
import io.elaswave.protocol.runtime.SchedulerMessage.RunNextStep;
import io.elaswave.protocol.runtime.SchedulerMessage.StartJob;
import io.elaswave.protocol.runtime.SchedulerMessage.StartTimedOut;
import io.elaswave.protocol.runtime.SchedulerMessage.StateLoaded;
import io.elaswave.protocol.runtime.SchedulerMessage.StepDone;
import io.elaswave.protocol.runtime.SchedulerMessage.StopJob;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * The job's coordinator. Start: place ranks, plan, spawn, adopt the layout, load a checkpoint if
 * asked. Each step: RunStep → losses and norms → ApplyUpdate → StepDone from every rank →
 * commit, then answer the driver. A committed step is answered again if the driver repeats it.
 */
public final class Scheduler extends AbstractBehavior<SchedulerMessage> {
  private final Map<NodeId, NodeAvailable> nodes = new TreeMap<>();
  private final TimerScheduler<SchedulerMessage> timers;
  private StartJob waiting; // a job that waits for nodes with enough room
  private long startAttempts;
  private Job job;

  /** The state of the one job this scheduler runs. */
  private static final class Job {
    final JobSpec spec;
    final ActorRef<DriverMessage> starter;
    final ParamBlocks blocks;
    final long tokensPerStep;
    final Layout layout;
    final Map<RankId, RankRefs> ranks = new LinkedHashMap<>();
    final Set<NodeId> pendingNodes = new HashSet<>();
    int pendingLoads;
    boolean running;
    long committed;
    DriverMessage.StepCommitted lastCommit;
    StepTransaction tx;
    ActorRef<DriverMessage> stepReplyTo;

    Job(JobSpec spec, ActorRef<DriverMessage> starter, ParamBlocks blocks, long tokensPerStep, Layout layout) {
      this.spec = spec;
      this.starter = starter;
      this.blocks = blocks;
      this.tokensPerStep = tokensPerStep;
      this.layout = layout;
    }
  }

  private Scheduler(ActorContext<SchedulerMessage> context, TimerScheduler<SchedulerMessage> timers) {
    super(context);
    this.timers = timers;
  }

  public static Behavior<SchedulerMessage> create() {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new Scheduler(ctx, timers)));
  }

  @Override public Receive<SchedulerMessage> createReceive() {
    return newReceiveBuilder()
        .onMessage(NodeAvailable.class, this::onNodeAvailable)
        .onMessage(StartJob.class, this::onStartJob)
        .onMessage(StartTimedOut.class, this::onStartTimedOut)
        .onMessage(RanksSpawned.class, this::onRanksSpawned)
        .onMessage(StateLoaded.class, this::onStateLoaded)
        .onMessage(RunNextStep.class, this::onRunNextStep)
        .onMessage(LossReport.class, this::onLossReport)
        .onMessage(NormReport.class, this::onNormReport)
        .onMessage(StepDone.class, this::onStepDone)
        .onMessage(CollectState.class, this::onCollectState)
        .onMessage(StopJob.class, this::onStopJob)
        .build();
  }

  private Behavior<SchedulerMessage> onNodeAvailable(NodeAvailable m) {
    nodes.put(m.node(), m);
    getContext().getLog().info("node {} offers room for {} ranks", m.node().name(), m.capacity());
    if (waiting != null) {
      tryStart(waiting);
    }
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
    timers.startSingleTimer(new StartTimedOut(++startAttempts), startTimeout());
    tryStart(m);
    return this;
  }

  private Behavior<SchedulerMessage> onStartTimedOut(StartTimedOut m) {
    if (waiting != null && m.attempt() == startAttempts) {
      waiting.replyTo().tell(new DriverMessage.JobRejected("the job needs " + waiting.job().ranks()
          + " ranks but the nodes have room for " + room() + " after waiting " + startTimeout().toSeconds() + " s"));
      waiting = null;
    }
    return this;
  }

  /** Places, plans and spawns the job once the nodes have room for it. */
  private void tryStart(StartJob m) {
    if (room() < m.job().ranks()) {
      return;
    }
    waiting = null;
    timers.cancelAll();
    Map<NodeId, Integer> capacity = new LinkedHashMap<>();
    nodes.forEach((id, n) -> capacity.put(id, n.capacity()));
    Layout layout = StaticPlanner.plan(request(m.job(), RankPlacement.place(m.job().ranks(), capacity)));
    TrainConfig config = m.job().config();
    Model model = model(config);
    job = new Job(m.job(), m.replyTo(), ReferenceTrainer.paramBlocks(model),
        config.tokensPerStep(model.config().seqLen()), layout);
    Map<NodeId, List<RankId>> byNode = new TreeMap<>();
    layout.ranks().forEach(r -> byNode.computeIfAbsent(r.node(), n -> new ArrayList<>()).add(r.rank()));
    byNode.forEach((node, ranks) -> {
      job.pendingNodes.add(node);
      nodes.get(node).guardian().tell(new NodeMessage.SpawnRanks(m.job(), ranks, getContext().getSelf()));
    });
    getContext().getLog().info("planned {}: {}", layout.name(), layout.reason());
  }

  private static PlanRequest request(JobSpec job, List<RankInfo> ranks) {
    Model model = model(job.config());
    return PlanRequest.of(ranks, job.dp(), job.pp(), job.config().microBatches(),
        ModelProfile.estimate(model.config(), job.dp()));
  }

  private static Model model(TrainConfig config) {
    return new Model(config.modelConfig(SharedCorpus.get().vocab().size()));
  }

  private int room() {
    return nodes.values().stream().mapToInt(NodeAvailable::capacity).sum();
  }

  private java.time.Duration startTimeout() {
    return getContext().getSystem().settings().config().getDuration("elaswave.start-timeout");
  }

  private Behavior<SchedulerMessage> onRanksSpawned(RanksSpawned m) {
    if (job == null || !job.pendingNodes.remove(m.node())) {
      return this;
    }
    m.ranks().forEach(r -> job.ranks.put(r.rank(), r));
    if (!job.pendingNodes.isEmpty()) {
      return this;
    }
    List<RankRefs> directory = List.copyOf(job.ranks.values());
    for (RankRefs r : directory) {
      r.control().tell(new RankMessage.AdoptLayout(job.layout, directory, getContext().getSelf()));
    }
    if (job.spec.resumeFrom().isEmpty()) {
      started(0);
    } else {
      loadCheckpoint();
    }
    return this;
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
      started(job.committed);
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
    if (job == null || !job.running) {
      m.replyTo().tell(new DriverMessage.JobRejected("no job is running"));
    } else if (job.lastCommit != null && m.step() == job.committed) {
      m.replyTo().tell(job.lastCommit);
    } else if (job.tx != null && job.tx.step == m.step()) {
      job.stepReplyTo = m.replyTo();
    } else if (job.tx == null && m.step() == job.committed + 1) {
      job.tx = new StepTransaction(m.step(), job.layout, job.blocks);
      job.stepReplyTo = m.replyTo();
      job.ranks.values().forEach(r -> r.control().tell(new RankMessage.RunStep(job.layout.epoch(), m.step())));
    } else {
      m.replyTo().tell(new DriverMessage.JobRejected(
          "cannot run step " + m.step() + " after committing step " + job.committed));
    }
    return this;
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
    if (tx.complete()) {
      TrainConfig config = job.spec.config();
      job.lastCommit = new DriverMessage.StepCommitted(tx.step, tx.loss(job.tokensPerStep), tx.digest(),
          config.schedule().at(tx.step), tx.gradNorm(), job.tokensPerStep, job.layout.name(), tx.bytes(),
          tx.messages());
      job.committed = tx.step;
      job.tx = null;
      job.stepReplyTo.tell(job.lastCommit);
    }
    return this;
  }

  private boolean inFlight(long epoch, long step) {
    return job != null && job.tx != null && epoch == job.layout.epoch() && step == job.tx.step;
  }

  // ---- state and stop ----------------------------------------------------------------------

  private Behavior<SchedulerMessage> onCollectState(CollectState m) {
    if (job == null || !job.running || job.tx != null) {
      m.replyTo().tell(new DriverMessage.JobRejected("state can be collected only between steps of a running job"));
      return this;
    }
    job.ranks.values().forEach(r -> r.control().tell(new RankMessage.GatherState(job.layout.epoch(), m.replyTo())));
    return this;
  }

  private Behavior<SchedulerMessage> onStopJob(StopJob m) {
    if (job != null) {
      stopRanks();
    }
    m.replyTo().tell(new DriverMessage.JobStopped());
    return this;
  }

  private void stopRanks() {
    Set<NodeId> used = new HashSet<>();
    job.layout.ranks().forEach(r -> used.add(r.node()));
    used.forEach(n -> nodes.get(n).guardian().tell(new NodeMessage.StopRanks()));
    job = null;
  }

  private int maxFloats() {
    return getContext().getSystem().settings().config().getInt("elaswave.max-floats-per-message");
  }
}
