package io.elaswave.actors.scheduler;

import io.elaswave.protocol.runtime.DriverMessage;
import io.elaswave.protocol.runtime.RankMessage;
import io.elaswave.protocol.runtime.SchedulerMessage;
import io.elaswave.protocol.runtime.SchedulerMessage.AwaitNode;
import io.elaswave.protocol.runtime.SchedulerMessage.CollectState;
import io.elaswave.protocol.runtime.SchedulerMessage.DeathChecked;
import io.elaswave.protocol.runtime.SchedulerMessage.InjectFault;
import io.elaswave.protocol.runtime.SchedulerMessage.LedgerAcked;
import io.elaswave.protocol.runtime.SchedulerMessage.LedgerLoaded;
import io.elaswave.protocol.runtime.SchedulerMessage.LivenessTick;
import io.elaswave.protocol.runtime.SchedulerMessage.LossReport;
import io.elaswave.protocol.runtime.SchedulerMessage.NodeAvailable;
import io.elaswave.protocol.runtime.SchedulerMessage.NormReport;
import io.elaswave.protocol.runtime.SchedulerMessage.ProbeAnswered;
import io.elaswave.protocol.runtime.SchedulerMessage.ProbeTimedOut;
import io.elaswave.protocol.runtime.SchedulerMessage.RankFailed;
import io.elaswave.protocol.runtime.SchedulerMessage.RanksSpawned;
import io.elaswave.protocol.runtime.SchedulerMessage.Reconfigured;
import io.elaswave.protocol.runtime.SchedulerMessage.ReconfigureFailed;
import io.elaswave.protocol.runtime.SchedulerMessage.RunNextStep;
import io.elaswave.protocol.runtime.SchedulerMessage.StartJob;
import io.elaswave.protocol.runtime.SchedulerMessage.StartTimedOut;
import io.elaswave.protocol.runtime.SchedulerMessage.StateLoaded;
import io.elaswave.protocol.runtime.SchedulerMessage.StepDeadline;
import io.elaswave.protocol.runtime.SchedulerMessage.StepDone;
import io.elaswave.protocol.runtime.SchedulerMessage.StopJob;
import io.elaswave.protocol.runtime.SchedulerMessage.TakeOverReady;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * The job's coordinator, as message routes to its parts: {@link JobStarter} (place, plan, spawn,
 * adopt, load), {@link StepCoordinator} (the step transaction), {@link StepWatch} (the step's
 * deadline), {@link Liveness} (heartbeats, deaths, failed ranks), {@link Replanner} (changes,
 * planned by the {@link RecoveryPolicy}), {@link ClockSteering} (the frequency axis),
 * {@link TakeOver} (the ledger after a fail-over) and {@link LedgerWriter}. Messages about the job wait until the ledger has been read.
 */
public final class Scheduler extends AbstractBehavior<SchedulerMessage> {
  private final Scheduling s;
  private final Liveness liveness;
  private final TakeOver takeOver;

  private Scheduler(ActorContext<SchedulerMessage> context, TimerScheduler<SchedulerMessage> timers) {
    super(context);
    context.getLog().debug("scheduler starting"); // the first call names the actor's logger
    SchedulerSettings settings = SchedulerSettings.from(context.getSystem().settings().config());
    this.s = new Scheduling(context, timers, settings);
    s.starter = new JobStarter(s);
    s.steps = new StepCoordinator(s);
    s.watch = new StepWatch(s);
    s.replanner = new Replanner(s);
    s.clocks = new ClockSteering(s);
    s.migration = new BackgroundMigration(s);
    this.liveness = new Liveness(s);
    s.liveness = liveness;
    this.takeOver = new TakeOver(s);
    s.takeOver = takeOver;
    timers.startTimerWithFixedDelay("liveness", new LivenessTick(), settings.livenessTick());
  }

  /** A scheduler; each job's recovery policy is the one its spec names. */
  public static Behavior<SchedulerMessage> create() {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new Scheduler(ctx, timers)));
  }

  @Override public Receive<SchedulerMessage> createReceive() {
    return newReceiveBuilder()
        .onMessage(LedgerLoaded.class, m -> run(takeOver::onLedgerLoaded, m))
        .onMessage(LedgerAcked.class, m -> run(s.ledger::onAcked, m))
        .onMessage(TakeOverReady.class, m -> run(x -> takeOver.onTakeOverReady(), m))
        .onMessage(StartJob.class, m -> afterLedger(s.starter::onStartJob, m))
        .onMessage(RunNextStep.class, m -> afterLedger(s.steps::onRunNextStep, m))
        .onMessage(InjectFault.class, m -> afterLedger(this::onInjectFault, m))
        .onMessage(SchedulerMessage.SetFrequency.class, m -> afterLedger(s.clocks::onSetFrequency, m))
        .onMessage(SchedulerMessage.ClockSet.class, m -> run(s.clocks::onClockSet, m))
        .onMessage(CollectState.class, this::onCollectState)
        .onMessage(StopJob.class, this::onStopJob)
        .onMessage(StartTimedOut.class, m -> run(s.starter::onStartTimedOut, m))
        .onMessage(NodeAvailable.class, m -> run(liveness::onNodeAvailable, m))
        .onMessage(AwaitNode.class, m -> run(liveness::onAwaitNode, m))
        .onMessage(LivenessTick.class, m -> run(x -> liveness.onTick(), m))
        .onMessage(DeathChecked.class, m -> run(liveness::onDeathChecked, m))
        .onMessage(SchedulerMessage.LifelineClosed.class, m -> run(liveness::onLifelineClosed, m))
        .onMessage(RankFailed.class, m -> run(liveness::onRankFailed, m))
        .onMessage(SchedulerMessage.MemberChanged.class, m -> run(liveness::onMemberChanged, m))
        .onMessage(RanksSpawned.class, m -> withJob(this::onRanksSpawned, m))
        .onMessage(Reconfigured.class, m -> withJob(this::onReconfigured, m))
        .onMessage(ReconfigureFailed.class, m -> withJob(s.replanner::onReconfigureFailed, m))
        .onMessage(StateLoaded.class, m -> withJob(s.starter::onStateLoaded, m))
        .onMessage(LossReport.class, m -> run(s.steps::onLossReport, m))
        .onMessage(NormReport.class, m -> run(s.steps::onNormReport, m))
        .onMessage(StepDone.class, m -> run(s.steps::onStepDone, m))
        .onMessage(SchedulerMessage.ShadowHeld.class, m -> run(s.migration::onShadowHeld, m))
        .onMessage(SchedulerMessage.MigrationWaitOver.class, m -> run(s.migration::onWaitOver, m))
        .onMessage(StepDeadline.class, m -> run(s.watch::onDeadline, m))
        .onMessage(ProbeAnswered.class, m -> run(s.watch::onProbeAnswered, m))
        .onMessage(ProbeTimedOut.class, m -> run(s.watch::onProbeTimedOut, m))
        .onSignal(PostStop.class, stop -> {
          liveness.stop();
          return this;
        })
        .build();
  }

  private <M extends SchedulerMessage> Behavior<SchedulerMessage> run(Consumer<M> handler, M m) {
    handler.accept(m);
    return this;
  }

  private <M extends SchedulerMessage> Behavior<SchedulerMessage> afterLedger(Consumer<M> handler, M m) {
    if (takeOver.loaded()) {
      handler.accept(m);
    } else {
      takeOver.defer(m); // driver requests wait until a job to take over has been read
    }
    return this;
  }

  private <M extends SchedulerMessage> Behavior<SchedulerMessage> withJob(Consumer<M> handler, M m) {
    if (s.job != null) {
      handler.accept(m);
    }
    return this;
  }

  private void onRanksSpawned(RanksSpawned m) {
    if (s.job.phase.running()) {
      s.replanner.onRanksSpawned(m);
    } else {
      s.starter.onRanksSpawned(m);
    }
  }

  private void onReconfigured(Reconfigured m) {
    if (s.job.phase instanceof JobPhase.Adopting) {
      s.starter.onReconfigured(m);
    } else {
      s.replanner.onReconfigured(m);
    }
  }

  private void onInjectFault(InjectFault m) {
    var rank = s.job == null ? null : s.job.ranks.get(m.fault().rank());
    if (rank == null) {
      getContext().getLog().warn("cannot inject {}: no such rank in the running job", m.fault().text());
      return;
    }
    getContext().getLog().warn("injecting {}", m.fault().text());
    rank.control().tell(new RankMessage.InjectFault(m.fault()));
  }

  private Behavior<SchedulerMessage> onCollectState(CollectState m) {
    if (s.job != null && (s.job.phase instanceof JobPhase.Changing || s.job.phase instanceof JobPhase.Installing
        || s.job.phase instanceof JobPhase.Joining)) {
      s.job.waitingCollects.add(m); // a change between steps (a speed re-plan, a join): served once it is done
      return this;
    }
    if (s.job == null || !(s.job.phase instanceof JobPhase.Idle || s.job.phase instanceof JobPhase.Halted)) {
      m.replyTo().tell(new DriverMessage.JobRejected("state can be collected only between steps of a running job"));
      return this;
    }
    s.collect(m);
    return this;
  }

  private Behavior<SchedulerMessage> onStopJob(StopJob m) {
    if (s.job == null) {
      m.replyTo().tell(new DriverMessage.JobStopped());
      return this;
    }
    boolean halted = s.job.phase instanceof JobPhase.Halted;
    s.stopRanks();
    if (halted) { // its journal is gone: the end is written if it comes back, and not waited for
      s.endOwed = true;
      s.ledger.record(io.elaswave.persistence.JobLedger.EndJob::new, () -> s.endOwed = false,
          r -> getContext().getLog().warn("could not end the halted job yet ({}): it ends before the next starts", r));
      m.replyTo().tell(new DriverMessage.JobStopped());
      return this;
    }
    s.record(io.elaswave.persistence.JobLedger.EndJob::new, () -> m.replyTo().tell(new DriverMessage.JobStopped()));
    return this;
  }
}
