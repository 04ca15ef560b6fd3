package io.elaswave.actors.scheduler;

import io.elaswave.persistence.JobLedger;
import io.elaswave.planner.NodeId;
import io.elaswave.planner.RankId;
import io.elaswave.protocol.runtime.DriverMessage;
import io.elaswave.protocol.runtime.NodeMessage;
import io.elaswave.protocol.runtime.SchedulerMessage;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * What the scheduler's parts share: the actor's context and timers, its settings, the nodes it
 * hears from, the ledger, the one job (null when there is none) and the
 * parts themselves, wired once by {@link Scheduler}.
 */
final class Scheduling {
  final ActorContext<SchedulerMessage> context;
  final TimerScheduler<SchedulerMessage> timers;
  final SchedulerSettings settings;
  final NodeRegistry nodes = new NodeRegistry();
  final LedgerWriter ledger;
  Job job;
  /** The last job asked to be restarted: a step request that comes after it ended hears so. */
  java.util.Optional<DriverMessage.RestartRequired> restartNotice = java.util.Optional.empty();
  /** A halted job was stopped while its journal was away: its EndJob is written before the next job starts. */
  boolean endOwed;

  JobStarter starter;
  StepCoordinator steps;
  StepWatch watch;
  Replanner replanner;
  Liveness liveness;
  ClockSteering clocks;
  TakeOver takeOver;
  BackgroundMigration migration;

  Scheduling(ActorContext<SchedulerMessage> context, TimerScheduler<SchedulerMessage> timers,
      SchedulerSettings settings) {
    this.context = context;
    this.timers = timers;
    this.settings = settings;
    this.ledger = new LedgerWriter(context, settings.journalOutageLimit());
  }

  ActorRef<SchedulerMessage> self() {
    return context.getSelf();
  }

  /** The job exists and trains (not still starting). */
  boolean running() {
    return job != null && job.phase.running();
  }

  /**
   * Records with the ledger. If the ledger refuses, the job fails; if its journal stayed
   * unreachable past the limit, the job halts when its ranks hold a whole step (see {@link #halt}).
   */
  void record(java.util.function.Function<ActorRef<io.elaswave.persistence.Ack>, JobLedger.Command> command,
      Runnable then) {
    ledger.record(command, then, reason -> {
      if (job == null) {
        return;
      }
      if (LedgerWriter.isOutage(reason) && halt(reason)) {
        return;
      }
      fail("the job ledger refused a write: " + reason);
    });
  }

  /**
   * The journal is gone for good: between steps, or with a step whose every rank is done (its
   * commit is what could not be written), the ranks hold the state after a whole step. The job
   * stops stepping but keeps its ranks, and the driver hears it may still collect that state;
   * returns false (the job should fail instead) in any other phase, mid-change or mid-step.
   */
  boolean halt(String reason) {
    long step;
    if (job.phase instanceof JobPhase.Idle) {
      step = job.committed;
    } else if (job.phase instanceof JobPhase.Stepping st && st.tx().complete()) {
      step = st.tx().step;
    } else {
      return false;
    }
    context.getLog().error("job halted after step {}: {}", step, reason);
    cancelJobTimers();
    job.phase = new JobPhase.Halted(step, reason);
    job.answer(new DriverMessage.JobHalted(reason, step));
    return true;
  }

  /** Ends the job with a reason: the waiting driver hears it, ranks stop, the ledger closes the job. */
  void fail(String reason) {
    context.getLog().error("job failed: {}", reason);
    DriverMessage.JobRejected rejected = new DriverMessage.JobRejected(reason);
    if (job.phase.running()) {
      job.answer(rejected);
    } else {
      job.starter.ifPresent(r -> r.tell(rejected));
    }
    stopRanks();
    ledger.record(JobLedger.EndJob::new, () -> { }, r -> context.getLog().warn("could not end the job: {}", r));
  }

  /**
   * The policy restarts the job from its last checkpoint: the driver hears the shape to start it
   * in (now, or when it next asks for a step), the ranks stop and the ledger closes the job.
   */
  void restart(io.elaswave.planner.recovery.RecoveryPlan plan) {
    var next = plan.next();
    DriverMessage.RestartRequired notice = new DriverMessage.RestartRequired(plan.reason(), next.dp(),
        next.stageCount(0), job.committed);
    context.getLog().warn("job restarts: {}", plan.reason());
    restartNotice = java.util.Optional.of(notice);
    job.answer(notice);
    stopRanks();
    ledger.record(JobLedger.EndJob::new, () -> { }, r -> context.getLog().warn("could not end the job: {}", r));
  }

  /** Tells every node of the job to stop its ranks, and forgets the job. */
  void stopRanks() {
    job.waitingCollects.forEach(c -> c.replyTo().tell(new DriverMessage.JobRejected("the job ended")));
    job.waitingCollects.clear();
    Set<NodeId> used = new HashSet<>();
    job.layout.allRanks().forEach(r -> used.add(r.node()));
    used.stream().map(nodes::get).filter(Objects::nonNull)
        .forEach(n -> n.guardian().tell(new NodeMessage.StopRanks()));
    cancelJobTimers();
    clocks.jobEnded();
    job = null;
  }

  /** The step watch's and the background migration's timers: nothing of the job is to fire any more. */
  private void cancelJobTimers() {
    timers.cancel(StepWatch.DEADLINE_TIMER);
    timers.cancel(StepWatch.PROBE_TIMER);
    timers.cancel(BackgroundMigration.TIMER);
  }

  /** Tells a written-off rank's node to stop it (it failed, or it hangs). */
  void stopRank(RankId rank) {
    var node = nodes.get(job.layout.nodeOf(rank));
    if (node != null) {
      node.guardian().tell(new NodeMessage.StopRank(rank));
    }
  }

  /** State asked for while a change ran between steps is collected once the job is idle again. */
  void serveWaitingCollects() {
    if (job != null && job.phase instanceof JobPhase.Idle) {
      List.copyOf(job.waitingCollects).forEach(this::collect);
      job.waitingCollects.clear();
    }
  }

  /** Asks every rank of the committed layout for its state, answered to the collector. */
  void collect(io.elaswave.protocol.runtime.SchedulerMessage.CollectState m) {
    long epoch = job.layout.epoch();
    job.ranks.values().forEach(r -> r.control().tell(
        new io.elaswave.protocol.runtime.RankMessage.GatherState(epoch, m.replyTo())));
  }
}
