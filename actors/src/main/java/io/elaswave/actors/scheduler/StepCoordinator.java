package io.elaswave.actors.scheduler;

import io.elaswave.engine.optim.GradClip;
import io.elaswave.engine.train.TrainConfig;
import io.elaswave.persistence.BlockDigestEntry;
import io.elaswave.persistence.JobLedger;
import io.elaswave.protocol.runtime.DriverMessage;
import io.elaswave.protocol.runtime.RankMessage;
import io.elaswave.protocol.runtime.SchedulerMessage.LossReport;
import io.elaswave.protocol.runtime.SchedulerMessage.NormReport;
import io.elaswave.protocol.runtime.SchedulerMessage.RunNextStep;
import io.elaswave.protocol.runtime.SchedulerMessage.StepDone;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The step as a transaction: RunStep to every rank → every micro-batch's loss and every block's
 * gradient norm → ApplyUpdate with the clip factor → every rank's StepDone digests → CommitStep
 * in the ledger → StepCommitted to the driver. A step under way is abandoned by a re-plan (the
 * ranks roll back) and rerun under the next epoch; {@link StepWatch} holds its deadline.
 */
final class StepCoordinator {
  private final Scheduling s;

  StepCoordinator(Scheduling s) {
    this.s = s;
  }

  void onRunNextStep(RunNextStep m) {
    Job job = s.job;
    Job.StepRequest request = new Job.StepRequest(m.step(), Optional.of(m.replyTo()));
    if (job == null && s.restartNotice.isPresent() && m.step() == s.restartNotice.get().committed() + 1) {
      m.replyTo().tell(s.restartNotice.get());
    } else if (job == null || !job.phase.running()) {
      m.replyTo().tell(new DriverMessage.JobRejected("no job is running"));
    } else if (job.phase instanceof JobPhase.Halted h) {
      m.replyTo().tell(new DriverMessage.JobHalted(h.reason(), h.step()));
    } else if (job.lastCommit.isPresent() && m.step() == job.committed) {
      m.replyTo().tell(job.lastCommit.get()); // a repeat whose answer was lost, or a take-over's
    } else if (job.phase instanceof JobPhase.Stepping st && st.tx().step == m.step()) {
      job.request = Optional.of(request); // running: answered at its commit
    } else if (m.step() == job.committed + 1 && !(job.phase instanceof JobPhase.Stepping)) {
      job.request = Optional.of(request);
      if (job.phase instanceof JobPhase.Idle) {
        s.replanner.maybeStartJoin(); // a node waiting to join is taken at this step boundary
        beginIfIdle();
      } // otherwise a change, join or take-over is under way: the step runs once it is done
    } else {
      m.replyTo().tell(new DriverMessage.JobRejected(
          "cannot run step " + m.step() + " after committing step " + job.committed));
    }
  }

  /** Begins the requested step if the job is between steps with nothing else under way. */
  void beginIfIdle() {
    Job job = s.job;
    if (job != null && job.phase instanceof JobPhase.Idle && job.requestedStep() == job.committed + 1
        && !s.migration.holdsStep()) {
      long step = job.requestedStep();
      StepTransaction tx = new StepTransaction(step, job.layout, job.blocks, System.currentTimeMillis());
      job.phase = new JobPhase.Stepping(tx);
      working(job).forEach(r -> r.control().tell(new RankMessage.RunStep(job.layout.epoch(), step)));
      s.watch.arm(tx);
    }
  }

  void onLossReport(LossReport m) {
    inFlight(m.epoch(), m.step()).ifPresent(tx -> {
      tx.add(m);
      maybeUpdate(tx);
    });
  }

  void onNormReport(NormReport m) {
    inFlight(m.epoch(), m.step()).ifPresent(tx -> {
      tx.add(m);
      maybeUpdate(tx);
    });
  }

  private void maybeUpdate(StepTransaction tx) {
    if (tx.readyForUpdate()) {
      TrainConfig config = s.job.spec.config();
      float lr = config.schedule().at(tx.step);
      float scale = GradClip.scale(tx.gradNorm(), config.adamW().gradClip());
      tx.markUpdateSent();
      long epoch = s.job.layout.epoch();
      working(s.job).forEach(r -> r.control().tell(new RankMessage.ApplyUpdate(epoch, tx.step, lr, scale)));
    }
  }

  void onStepDone(StepDone m) {
    inFlight(m.epoch(), m.step()).ifPresent(tx -> {
      tx.add(m);
      if (tx.complete() && !tx.recording) {
        tx.recording = true;
        tx.recordingSinceMillis = System.currentTimeMillis();
        // every rank is done: what remains is the ledger's, however long its journal takes
        s.watch.disarm();
        List<BlockDigestEntry> entries = new ArrayList<>();
        tx.blockDigests().forEach((id, d) -> entries.add(new BlockDigestEntry(id.layer(), id.block(), d)));
        long epoch = s.job.layout.epoch();
        float loss = tx.loss(s.job.tokensPerStep());
        // committed only once durable: a scheduler that dies before this never reported the step
        s.record(r -> new JobLedger.CommitStep(tx.step, epoch, tx.digest(), loss, entries, r), () -> commit(tx));
      }
    });
  }

  private void commit(StepTransaction tx) {
    Job job = s.job;
    if (job == null || !(job.phase instanceof JobPhase.Stepping st) || st.tx() != tx) {
      return; // abandoned by a re-plan while the ledger wrote: the step reruns under the next epoch
    }
    s.watch.disarm();
    TrainConfig config = job.spec.config();
    long now = System.currentTimeMillis();
    DriverMessage.StepCommitted committed = new DriverMessage.StepCommitted(tx.step, tx.loss(job.tokensPerStep()),
        tx.digest(), config.schedule().at(tx.step), tx.gradNorm(), job.tokensPerStep(), job.layout.name(), tx.bytes(),
        tx.messages(), List.copyOf(job.recoveries),
        tx.phases(now - tx.startedAtMillis, now - tx.recordingSinceMillis),
        tx.energyJoules(now - tx.startedAtMillis, s.settings.power()), tx.busy(), s.clocks.drain(),
        tx.staleDropped(), tx.snapshotBytes());
    job.stepTimes.add(now - tx.startedAtMillis);
    job.costs.addStep(tx.samples());
    job.recoveries.clear();
    job.lastCommit = Optional.of(committed);
    job.committed = tx.step;
    job.committedDigests = tx.blockDigests();
    job.phase = new JobPhase.Idle();
    job.answer(committed); // after a take-over the driver's repeat may come later: it gets lastCommit
    job.request = Optional.empty();
    s.replanner.afterCommit();
    s.replanner.maybeStartJoin();
    s.replanner.maybeRebalance();
    s.migration.atBoundary();
    if (s.job == job && job.phase instanceof JobPhase.Idle) {
      s.clocks.afterCommit(job, now - tx.startedAtMillis); // between steps, and not while a change starts
      job.readyPlans.afterCommit(job.layout, job.adoptedEpoch + 1, job.policy, job::measurements);
    }
  }

  /** The ranks that run a stage of the committed layout (standby ranks take no part in a step). */
  private static List<io.elaswave.protocol.runtime.RankRefs> working(Job job) {
    return job.ranks.values().stream().filter(r -> job.layout.contains(r.rank())).toList();
  }

  private Optional<StepTransaction> inFlight(long epoch, long step) {
    Job job = s.job;
    if (job != null && job.phase instanceof JobPhase.Stepping st && epoch == job.layout.epoch()
        && step == st.tx().step) {
      return Optional.of(st.tx());
    }
    return Optional.empty();
  }
}
