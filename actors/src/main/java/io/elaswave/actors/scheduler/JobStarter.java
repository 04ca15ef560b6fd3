package io.elaswave.actors.scheduler;

import io.elaswave.actors.rank.SharedCorpus;
import io.elaswave.engine.model.Model;
import io.elaswave.engine.train.ReferenceTrainer;
import io.elaswave.engine.train.TrainConfig;
import io.elaswave.persistence.JobLedger;
import io.elaswave.planner.Layout;
import io.elaswave.planner.CostModel;
import io.elaswave.planner.ModelProfile;
import io.elaswave.planner.NodeId;
import io.elaswave.planner.PlanRequest;
import io.elaswave.planner.RankId;
import io.elaswave.planner.RankInfo;
import io.elaswave.planner.StaticPlanner;
import io.elaswave.planner.recovery.RecoveryPolicies;
import io.elaswave.protocol.runtime.DriverMessage;
import io.elaswave.protocol.runtime.JobSpec;
import io.elaswave.protocol.runtime.NodeMessage;
import io.elaswave.protocol.runtime.RankMessage;
import io.elaswave.protocol.runtime.RankRefs;
import io.elaswave.protocol.runtime.SchedulerMessage.RanksSpawned;
import io.elaswave.protocol.runtime.SchedulerMessage.Reconfigured;
import io.elaswave.protocol.runtime.SchedulerMessage.StartJob;
import io.elaswave.protocol.runtime.SchedulerMessage.StartTimedOut;
import io.elaswave.protocol.runtime.SchedulerMessage.StateLoaded;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Starting a job: wait (bounded) for nodes with room, place and plan, spawn the ranks, record
 * the job and its first plan, have every rank adopt it (and every buddy hold the step-0
 * snapshot), load a checkpoint if asked, then tell the driver it started.
 */
final class JobStarter {
  private final Scheduling s;
  private Optional<StartJob> waiting = Optional.empty();
  private long attempts;

  JobStarter(Scheduling s) {
    this.s = s;
  }

  void onStartJob(StartJob m) {
    if (s.job != null || waiting.isPresent()) {
      m.replyTo().tell(new DriverMessage.JobRejected("a job is already running"));
      return;
    }
    try { // shape and memory errors (too many stages, too few micro-batches, no fit) do not wait for room
      StaticPlanner.plan(request(m.job(), RankInfo.packed(m.job().ranks(), m.job().ranks(), "any-node-")),
          activations(m.job()));
    } catch (IllegalArgumentException e) {
      m.replyTo().tell(new DriverMessage.JobRejected(e.getMessage()));
      return;
    }
    waiting = Optional.of(m);
    s.restartNotice = Optional.empty();
    s.timers.startSingleTimer("start", new StartTimedOut(++attempts), s.settings.startTimeout());
    tryStart();
  }

  void onStartTimedOut(StartTimedOut m) {
    if (waiting.isPresent() && m.attempt() == attempts) {
      StartJob w = waiting.get();
      w.replyTo().tell(new DriverMessage.JobRejected("the job needs " + w.job().ranks()
          + " ranks but the nodes have room for " + s.nodes.room() + " after waiting "
          + s.settings.startTimeout().toSeconds() + " s"));
      waiting = Optional.empty();
    }
  }

  /** Places, plans and spawns the waiting job once the nodes have room for it. */
  void tryStart() {
    if (waiting.isEmpty() || s.nodes.room() < waiting.get().job().ranks()) {
      return;
    }
    StartJob m = waiting.get();
    waiting = Optional.empty();
    s.timers.cancel("start");
    Layout layout = withStandby(StaticPlanner.plan(request(m.job(),
        RankPlacement.place(m.job().ranks(), s.nodes.capacity())), activations(m.job())), m.job());
    Map<NodeId, List<RankId>> byNode = new TreeMap<>();
    layout.allRanks().forEach(r -> byNode.computeIfAbsent(r.node(), n -> new ArrayList<>()).add(r.rank()));
    s.job = newJob(s.settings, m.job(), Optional.of(m.replyTo()), layout, new JobPhase.Placing(Set.copyOf(byNode.keySet())));
    byNode.forEach((node, ranks) -> s.nodes.get(node).guardian().tell(
        new NodeMessage.SpawnRanks(m.job(), ranks, s.self())));
    s.context.getLog().info("planned {}: {}", layout.name(), layout.reason());
  }

  /**
   * The standby ranks the job's policy wants on every node it uses ({@code standbyPerNode} each,
   * numbered after the working ranks): ReCycle's stand-ins. None for ElasWave's policy.
   */
  private static Layout withStandby(Layout layout, JobSpec spec) {
    int perNode = RecoveryPolicies.named(spec.policy()).standbyPerNode();
    int next = layout.rankIds().stream().mapToInt(RankId::value).max().orElse(-1) + 1;
    List<RankInfo> standby = new ArrayList<>();
    for (NodeId node : layout.ranks().stream().map(RankInfo::node).distinct().sorted().toList()) {
      for (int i = 0; i < perNode; i++) {
        standby.add(new RankInfo(RankId.of(next++), node));
      }
    }
    return standby.isEmpty() ? layout : layout.withStandby(standby);
  }

  /** A job as the ledger or a driver describes it, in its first phase. */
  static Job newJob(SchedulerSettings settings, JobSpec spec, Optional<org.apache.pekko.actor.typed.ActorRef<DriverMessage>> starter,
      Layout layout, JobPhase phase) {
    TrainConfig config = spec.config();
    Model model = model(config);
    return new Job(spec, RecoveryPolicies.named(spec.policy(), settings.migration()), starter,
        ReferenceTrainer.paramBlocks(model), profile(spec), activations(spec),
        (long) config.microBatchSize() * model.config().seqLen(), layout, phase);
  }

  void onRanksSpawned(RanksSpawned m) {
    if (!(s.job.phase instanceof JobPhase.Placing p) || !p.pendingNodes().contains(m.node())) {
      return;
    }
    m.ranks().forEach(r -> s.job.ranks.put(r.rank(), r));
    JobPhase.Placing rest = p.without(m.node());
    s.job.phase = rest;
    if (!rest.pendingNodes().isEmpty()) {
      return;
    }
    Job job = s.job;
    List<RankRefs> directory = List.copyOf(job.ranks.values());
    job.phase = new JobPhase.Adopting(Set.copyOf(job.ranks.keySet()));
    Runnable start = () -> s.record(r -> new JobLedger.StartJob(job.spec, r), () -> s.record(
        r -> new JobLedger.AdoptPlan(job.layout, job.layout.reason(), r), () -> {
          for (RankRefs rank : directory) {
            rank.control().tell(new RankMessage.AdoptLayout(job.layout, directory, s.self()));
          }
        }));
    if (s.endOwed) { // a job halted by a journal outage was stopped without its end being written
      s.record(JobLedger.EndJob::new, () -> {
        s.endOwed = false;
        start.run();
      });
    } else {
      start.run();
    }
  }

  /** A rank holds the first layout and its buddy holds its step-0 snapshot. */
  void onReconfigured(Reconfigured m) {
    if (!(s.job.phase instanceof JobPhase.Adopting a) || m.epoch() != s.job.layout.epoch()) {
      return;
    }
    JobPhase.Adopting rest = a.without(m.rank());
    s.job.phase = rest;
    if (rest.pending().isEmpty()) {
      Job job = s.job;
      s.record(r -> new JobLedger.InstallPlan(job.layout.epoch(), r), () -> {
        if (s.job != job) {
          return;
        }
        if (job.spec.resumeFrom().isEmpty()) {
          started(0);
        } else {
          loadCheckpoint();
        }
      });
    }
  }

  private void loadCheckpoint() {
    Job job = s.job;
    try {
      // LoadState goes to the rank itself, on the ordinary channel (512 KiB frames), not to its inbox
      CheckpointLoad load = CheckpointLoad.read(job.spec, job.layout, job.blocks,
          Math.min(s.settings.maxFloatsPerMessage(), CheckpointLoad.CONTROL_CHANNEL_FLOATS));
      job.committed = load.step();
      job.phase = new JobPhase.Loading(load.deliveries().size());
      load.deliveries().forEach(d -> job.ranks.get(d.rank()).control().tell(d.message()));
    } catch (RuntimeException e) { // a corrupt or mismatched checkpoint: refuse the job, keep nothing
      job.starter.ifPresent(r -> r.tell(new DriverMessage.JobRejected(e.getMessage())));
      s.stopRanks();
    }
  }

  void onStateLoaded(StateLoaded m) {
    if (!(s.job.phase instanceof JobPhase.Loading l) || m.epoch() != s.job.layout.epoch()) {
      return;
    }
    s.job.phase = new JobPhase.Loading(l.remaining() - 1);
    if (l.remaining() == 1) {
      long step = s.job.committed;
      s.record(r -> new JobLedger.ResumeAt(step, r), () -> started(step));
    }
  }

  private void started(long step) {
    Job job = s.job;
    job.phase = new JobPhase.Idle();
    job.committed = step;
    job.starter.ifPresent(r -> r.tell(new DriverMessage.JobStarted(job.layout.name(), step)));
  }

  private static PlanRequest request(JobSpec job, List<RankInfo> ranks) {
    return new PlanRequest(ranks, job.dp(), job.pp(), job.config().microBatches(), profile(job), job.rankMemory());
  }

  /** Estimated activation bytes per layer and micro-batch, until ranks measure them. */
  static long[] activations(JobSpec job) {
    return CostModel.activationBytes(model(job.config()).config(), job.config().microBatchSize());
  }

  static ModelProfile profile(JobSpec job) {
    return ModelProfile.estimate(model(job.config()).config(), job.dp());
  }

  private static Model model(TrainConfig config) {
    return new Model(config.modelConfig(SharedCorpus.get().vocab().size()));
  }
}
