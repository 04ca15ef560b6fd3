package io.elaswave.actors.scheduler;

import io.elaswave.persistence.JobLedger;
import io.elaswave.planner.Layout;
import io.elaswave.planner.NodeId;
import io.elaswave.planner.RankId;
import io.elaswave.planner.RankInfo;
import io.elaswave.planner.recovery.MembershipEvent;
import io.elaswave.planner.recovery.RecoveryPlan;
import io.elaswave.protocol.runtime.BlockDigest;
import io.elaswave.protocol.runtime.NodeMessage;
import io.elaswave.protocol.runtime.RankMessage;
import io.elaswave.protocol.runtime.RankRefs;
import io.elaswave.protocol.runtime.Recovery;
import io.elaswave.protocol.runtime.SchedulerMessage.RanksSpawned;
import io.elaswave.protocol.runtime.SchedulerMessage.Reconfigured;
import io.elaswave.protocol.runtime.SchedulerMessage.ReconfigureFailed;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Moving the job to a new layout. The recovery policy plans (the scheduler never does); the plan
 * is recorded in the ledger before any rank hears of it; every live rank then rolls back to the
 * committed step, sends and receives the plan's transfers and answers Reconfigured; once all
 * have, the layout is committed and the abandoned (or waiting) step runs under the new epoch.
 * A loss during a change re-plans from the same committed layout under a fresh epoch.
 */
final class Replanner {
  /** Causes of a re-plan for speed alone: no rank lost or gained. */
  static final Set<String> SPEED_CAUSES = Set.of("slow", "speed-recovered", "speeds-changed");
  /** The cause of a background migration's switch to the balanced layout ({@link BackgroundMigration}). */
  static final String MIGRATED = "migrated";

  /** Whether a change of this cause answered a loss of ranks. */
  static boolean answersLoss(String cause) {
    return !SPEED_CAUSES.contains(cause) && !cause.equals("node-joined") && !cause.equals(MIGRATED);
  }

  private final Scheduling s;

  Replanner(Scheduling s) {
    this.s = s;
  }

  /** These ranks are gone ({@code cause}: node-dead, rank-error, step-deadline, scheduler-failover). */
  void lose(Set<RankId> lostNow, List<NodeId> nodesNow, String cause, long faultAtMillis) {
    Job job = s.job;
    boolean recording = job.phase instanceof JobPhase.Stepping st && st.tx().recording;
    if (recording || job.phase instanceof JobPhase.Installing || job.phase instanceof JobPhase.Halted) {
      // every rank finished the step (or took the layout) and the ledger is recording it: let
      // it land first, so the ledger and the ranks agree on what the next change starts from
      // (a halted job changes no more: it is collected and stopped)
      job.deferredLosses.add(new DeferredLoss(Set.copyOf(lostNow), List.copyOf(nodesNow), cause, faultAtMillis));
      return;
    }
    Set<RankId> lost = new LinkedHashSet<>(lostNow);
    List<NodeId> nodes = new ArrayList<>(nodesNow);
    long epoch = job.adoptedEpoch + 1;
    long detected = System.currentTimeMillis();
    if (job.phase instanceof JobPhase.Changing c && c.change().cause().equals("node-joined")) {
      abandonJoin(c.change());
    } else if (job.phase instanceof JobPhase.Changing c && (SPEED_CAUSES.contains(c.change().cause())
        || c.change().cause().equals(MIGRATED))) {
      // a re-plan for speed or a migration's switch under way: every rank of it is alive; it is replaced, not merged
    } else if (job.phase instanceof JobPhase.Changing c) { // one change: it keeps its first cause and times
      JobPhase.Change change = c.change();
      nodes.addAll(0, change.nodes());
      lost.addAll(change.ranks());
      cause = change.cause();
      faultAtMillis = change.faultAtMillis();
      detected = change.detectedAtMillis();
    }
    long abandoned = job.phase instanceof JobPhase.Stepping st ? st.tx().step : job.requestedStep();
    List<RankId> written = List.copyOf(lost); // what the recovery reports, joiners included
    lost.retainAll(job.layout.allRanks().stream().map(RankInfo::rank).toList()); // not a joiner's
    RecoveryPlan plan;
    try {
      Set<RankId> lostSet = lost;
      plan = lost.isEmpty() // only the joiner was lost: back to the installed layout, under a fresh epoch
          ? RecoveryPlan.stay(job.layout, epoch, "the joining node was lost")
          : job.readyPlans.take(job.layout, lost, epoch)
              .orElseGet(() -> job.policy.plan(job.layout, new MembershipEvent.RanksLost(lostSet, epoch),
                  job.measurements()));
    } catch (RuntimeException e) {
      s.fail("cannot recover from losing " + lost + ": " + e.getMessage());
      return;
    }
    if (plan.resume() == RecoveryPlan.Resume.FROM_CHECKPOINT) {
      s.restart(plan);
      return;
    }
    s.watch.disarm();
    lost.forEach(job.ranks::remove);
    lost.forEach(job.costs::forget);
    job.speedWatch.reset();
    announce(new JobPhase.Change(cause, plan.next(), new HashSet<>(job.ranks.keySet()), nodes, written,
        abandoned, faultAtMillis, detected), plan);
  }

  /**
   * Between steps, with nothing else under way: if measured speeds have moved far enough from
   * what the committed layout assumes ({@link io.elaswave.planner.recovery.SpeedWatch}), re-plan
   * for them (cause {@code slow} or {@code speed-recovered}); no rank is lost and no step abandoned.
   */
  void maybeRebalance() {
    Job job = s.job;
    if (job == null || !(job.phase instanceof JobPhase.Idle) || !s.settings.speedReplan()
        || !job.policy.replansForSpeed()) {
      return;
    }
    java.util.Optional<io.elaswave.planner.recovery.SpeedWatch.Decision> decision;
    try {
      decision = job.speedWatch.observe(job.layout, job.measurements(), job.policy, job.adoptedEpoch + 1);
    } catch (RuntimeException e) { // a speed re-plan is an optimisation: it never fails the job
      s.context.getLog().error("speed check failed, the layout stays: {}", e.toString(), e);
      return;
    }
    if (decision.isEmpty()) {
      return;
    }
    var d = decision.get();
    long now = System.currentTimeMillis();
    List<NodeId> nodes = d.slow().stream().map(job.layout::nodeOf).distinct().toList();
    s.context.getLog().warn("speeds moved: predicted compute {} ms -> {} ms per step", Math.round(d.beforeMillis()),
        Math.round(d.afterMillis()));
    announce(new JobPhase.Change(d.event().cause(), d.plan().next(), new HashSet<>(job.ranks.keySet()), nodes,
        d.slow(), -1, now, now), d.plan());
  }

  /** A background migration's switch at a step boundary: every rank alive, no step abandoned. */
  void migrate(io.elaswave.planner.elastic.MigrationPlan p, long faultAtMillis) {
    Job job = s.job;
    long now = System.currentTimeMillis();
    announce(new JobPhase.Change(MIGRATED, p.target(), new HashSet<>(job.ranks.keySet()), List.of(), List.of(), -1,
        faultAtMillis, now), new RecoveryPlan(p.target(), p.switchTransfers(), p.target().reason()));
  }

  /** A loss seen while a commit was being written; handled once it is durable. */
  record DeferredLoss(Set<RankId> lost, List<NodeId> nodes, String cause, long faultAtMillis) {}

  /** The step in flight committed, or a layout was installed: losses that waited are handled now. */
  void afterCommit() {
    List<DeferredLoss> pending = List.copyOf(s.job.deferredLosses);
    s.job.deferredLosses.clear();
    for (DeferredLoss d : pending) {
      if (s.job == null) {
        return;
      }
      Set<RankId> stillHere = new LinkedHashSet<>(d.lost());
      stillHere.retainAll(s.job.ranks.keySet());
      if (!stillHere.isEmpty() || d.lost().isEmpty()) {
        lose(stillHere, d.nodes(), d.cause(), d.faultAtMillis());
      }
    }
  }

  /** A loss overtook a join: the joiners leave again; their node may join at a later step boundary. */
  private void abandonJoin(JobPhase.Change join) {
    join.ranks().forEach(s.job.ranks::remove);
    for (NodeId node : join.nodes()) {
      var n = s.nodes.get(node);
      if (n != null) {
        n.guardian().tell(new NodeMessage.StopRanks());
        s.job.joinable.add(node);
      }
    }
  }

  /** Between steps, with no other change under way: spawn ranks on a node waiting to join. */
  void maybeStartJoin() {
    Job job = s.job;
    if (job == null || !(job.phase instanceof JobPhase.Idle) || job.joinable.isEmpty()) {
      return;
    }
    NodeId node = job.joinable.iterator().next();
    job.joinable.remove(node);
    var n = s.nodes.get(node);
    if (n == null) {
      return;
    }
    List<RankId> ranks = new ArrayList<>();
    for (int i = 0; i < n.capacity() + job.policy.standbyPerNode(); i++) {
      ranks.add(RankId.of(job.nextRankId++));
    }
    job.phase = new JobPhase.Joining(node);
    n.guardian().tell(new NodeMessage.SpawnRanks(job.spec, ranks, s.self()));
  }

  /** The joining node's ranks exist: plan with them; layers and blocks flow to them. */
  void onRanksSpawned(RanksSpawned m) {
    Job job = s.job;
    if (!(job.phase instanceof JobPhase.Joining j) || !j.node().equals(m.node())) {
      if (job.phase.running() && job.layout.allRanks().stream().noneMatch(r -> r.node().equals(m.node()))) {
        job.joinable.add(m.node()); // a change overtook the join: spawn again at the next boundary
      }
      return;
    }
    long detected = System.currentTimeMillis();
    List<RankInfo> joined = m.ranks().stream().map(r -> new RankInfo(r.rank(), m.node())).toList();
    RecoveryPlan plan;
    try {
      plan = job.policy.plan(job.layout, new MembershipEvent.RanksJoined(joined, job.spec.pp(),
          job.adoptedEpoch + 1), job.measurements());
    } catch (RuntimeException e) {
      s.context.getLog().warn("node {} cannot join: {}", m.node().name(), e.getMessage());
      s.nodes.get(m.node()).guardian().tell(new NodeMessage.StopRanks());
      job.phase = new JobPhase.Idle();
      s.serveWaitingCollects();
      s.steps.beginIfIdle();
      return;
    }
    if (plan.resume() == RecoveryPlan.Resume.FROM_CHECKPOINT) {
      s.restart(plan);
      return;
    }
    m.ranks().forEach(r -> job.ranks.put(r.rank(), r));
    job.speedWatch.reset();
    announce(new JobPhase.Change("node-joined", plan.next(), new HashSet<>(job.ranks.keySet()), List.of(m.node()),
        joined.stream().map(RankInfo::rank).toList(), -1, detected, detected), plan);
  }

  /**
   * Records the change's layout in the ledger, then tells every rank of the job to move to it;
   * a change replaced meanwhile (a loss during recovery) is never announced.
   */
  private void announce(JobPhase.Change change, RecoveryPlan plan) {
    Job job = s.job;
    s.migration.drop(); // the change starts from the installed layout; a migration toward another is void
    JobPhase.Changing phase = new JobPhase.Changing(change);
    job.phase = phase;
    Layout next = change.next();
    job.adoptedEpoch = next.epoch();
    long base = job.layout.epoch();
    List<RankRefs> directory = List.copyOf(job.ranks.values());
    long committed = job.committed;
    List<BlockDigest> digests = job.committedDigestList();
    s.record(r -> new JobLedger.AdoptPlan(next, next.reason(), r), () -> {
      if (s.job == job && job.phase instanceof JobPhase.Changing now && now.change().next() == next) {
        for (RankRefs r : directory) {
          r.control().tell(new RankMessage.Reconfigure(next, base, directory, committed, plan.transfers(), digests,
              s.self()));
        }
      }
    });
    s.context.getLog().warn("re-planned {} -> {} ({}, policy {}): {}", job.layout.name(), next.name(),
        change.cause(), job.policy.name(), plan.reason());
  }

  void onReconfigured(Reconfigured m) {
    Job job = s.job;
    if (!(job.phase instanceof JobPhase.Changing c) || m.epoch() != c.change().next().epoch()) {
      return;
    }
    JobPhase.Change change = c.change().without(m.rank());
    job.phase = new JobPhase.Changing(change);
    if (!change.awaiting().isEmpty()) {
      return;
    }
    long ready = System.currentTimeMillis();
    JobPhase.Installing installing = new JobPhase.Installing(change);
    job.phase = installing;
    // recorded before any rank drops its way back: a successor re-plans from what is installed
    s.record(r -> new JobLedger.InstallPlan(change.next().epoch(), r), () -> {
      if (s.job == job && job.phase == installing) {
        installed(change, ready);
      }
    });
  }

  private void installed(JobPhase.Change change, long readyAtMillis) {
    Job job = s.job;
    job.layout = change.next();
    job.phase = new JobPhase.Idle();
    s.clocks.layoutInstalled(job); // nominal clocks until the new stages are measured
    job.ranks.values().forEach(r -> r.control().tell(new RankMessage.ChangeCommitted(job.layout.epoch())));
    job.recoveries.add(new Recovery(change.cause(), change.nodes(), change.ranks(), job.layout.name(),
        change.abandonedStep(), change.faultAtMillis(), change.detectedAtMillis(), readyAtMillis));
    s.context.getLog().warn("{}: running under {}", change.cause(), job.layout.name());
    if (answersLoss(change.cause())) {
      s.migration.afterLossInstalled(change.faultAtMillis());
    }
    afterCommit(); // losses seen while the install was recorded
    s.serveWaitingCollects();
    maybeStartJoin();
    s.steps.beginIfIdle(); // the abandoned or waiting step, under the new epoch
  }

  void onReconfigureFailed(ReconfigureFailed m) {
    if (s.job.phase instanceof JobPhase.Changing c && m.epoch() == c.change().next().epoch()) {
      s.fail("rank " + m.rank() + " could not take " + c.change().next().name() + ": " + m.reason());
    }
  }
}
