package io.elaswave.actors.scheduler;

import io.elaswave.planner.RankId;
import io.elaswave.protocol.runtime.RankMessage;
import io.elaswave.protocol.runtime.RankRefs;
import io.elaswave.protocol.runtime.SchedulerMessage.ProbeAnswered;
import io.elaswave.protocol.runtime.SchedulerMessage.ProbeTimedOut;
import io.elaswave.protocol.runtime.SchedulerMessage.StepDeadline;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The step's deadline. A step that has not committed within max(factor × median recent step,
 * floor) — a longer allowance for the first steps — is checked: every rank that has not
 * reported StepDone is probed, and those that do not answer within the probe timeout (a hung
 * rank processes no messages) are written off and the step is redone under a plan without
 * them. A rank that answers is slow, not lost: the deadline is armed again.
 */
final class StepWatch {
  static final String DEADLINE_TIMER = "step-deadline";
  static final String PROBE_TIMER = "step-probe";

  private final Scheduling s;
  private static final int MAX_SLOW_ROUNDS = 3;

  private long attempts; // names each deadline and probe round, so a stale timer does nothing
  private int slowRounds; // deadlines of this step at which every rank still answered
  private Optional<Round> round = Optional.empty();

  /** A probe round: the ranks asked and not yet answered. */
  private record Round(long epoch, long attempt, long step, Set<RankId> silent) {}

  StepWatch(Scheduling s) {
    this.s = s;
  }

  /** Starts the deadline of a step that just began. */
  void arm(StepTransaction tx) {
    round = Optional.empty();
    slowRounds = 0;
    s.timers.cancel(PROBE_TIMER);
    Duration deadline = s.job.stepTimes.deadline(s.settings.stepDeadline());
    s.timers.startSingleTimer(DEADLINE_TIMER, new StepDeadline(s.job.layout.epoch(), tx.step, ++attempts), deadline);
  }

  /** The step committed or was abandoned. */
  void disarm() {
    round = Optional.empty();
    s.timers.cancel(DEADLINE_TIMER);
    s.timers.cancel(PROBE_TIMER);
  }

  void onDeadline(StepDeadline m) {
    Optional<StepTransaction> tx = current(m.epoch(), m.step());
    if (tx.isEmpty() || m.attempt() != attempts) {
      return;
    }
    Set<RankId> silent = new TreeSet<>(tx.get().notDone());
    silent.retainAll(s.job.ranks.keySet());
    s.context.getLog().warn("step {} has run past its deadline ({} ms since it began); probing {}", m.step(),
        System.currentTimeMillis() - tx.get().startedAtMillis, silent);
    long attempt = ++attempts;
    round = Optional.of(new Round(m.epoch(), attempt, m.step(), silent));
    for (RankId r : silent) {
      s.job.ranks.get(r).control().tell(new RankMessage.Probe(m.epoch(), attempt, s.self()));
    }
    s.timers.startSingleTimer(PROBE_TIMER, new ProbeTimedOut(m.epoch(), attempt), s.settings.probeTimeout());
  }

  void onProbeAnswered(ProbeAnswered m) {
    round.filter(r -> r.attempt() == m.attempt()).ifPresent(r -> r.silent().remove(m.rank()));
  }

  void onProbeTimedOut(ProbeTimedOut m) {
    Optional<Round> r = round.filter(x -> x.attempt() == m.attempt() && x.epoch() == m.epoch());
    if (r.isEmpty()) {
      return;
    }
    Optional<StepTransaction> tx = current(m.epoch(), r.get().step());
    round = Optional.empty();
    if (tx.isEmpty()) {
      return;
    }
    // ranks on a node the cluster cannot reach are the membership path's to judge, and a side
    // of a partition without a majority judges nobody: wait for the cluster to decide
    Set<RankId> onUnreachable = new TreeSet<>();
    r.get().silent().stream().filter(x -> s.liveness.unreachable(s.job.layout.nodeOf(x))).forEach(onUnreachable::add);
    r.get().silent().removeAll(onUnreachable);
    if (!s.liveness.inMajority() || (!onUnreachable.isEmpty() && r.get().silent().isEmpty())) {
      s.context.getLog().warn("step {}: ranks {} are on unreachable nodes; waiting for the cluster", tx.get().step,
          onUnreachable);
      rearm(m.epoch(), tx.get());
      return;
    }
    if (r.get().silent().isEmpty() && ++slowRounds >= MAX_SLOW_ROUNDS) {
      // everyone answers yet nothing commits (a message lost with a quarantined link, say):
      // abandon the step and redo it under a fresh epoch over the same ranks
      s.context.getLog().warn("step {} made no progress through {} deadlines: redoing it", tx.get().step, slowRounds);
      s.replanner.lose(Set.of(), List.of(), "step-deadline", tx.get().startedAtMillis);
      return;
    }
    if (r.get().silent().isEmpty()) {
      s.context.getLog().warn("step {} is slow, but every rank answers: waiting", tx.get().step);
      rearm(m.epoch(), tx.get());
      return;
    }
    Set<RankId> lost = Set.copyOf(r.get().silent());
    s.context.getLog().warn("ranks {} did not answer within {} ms: written off", lost,
        s.settings.probeTimeout().toMillis());
    List<RankRefs> gone = lost.stream().map(s.job.ranks::get).toList();
    // the hang began with the step: that is when the fault was first observable
    s.replanner.lose(lost, List.of(), "step-deadline", tx.get().startedAtMillis);
    if (s.job != null) {
      gone.forEach(g -> s.stopRank(g.rank()));
    }
  }

  private void rearm(long epoch, StepTransaction tx) {
    Duration again = s.job.stepTimes.deadline(s.settings.stepDeadline());
    s.timers.startSingleTimer(DEADLINE_TIMER, new StepDeadline(epoch, tx.step, ++attempts), again);
  }

  private Optional<StepTransaction> current(long epoch, long step) {
    Job job = s.job;
    if (job != null && job.phase instanceof JobPhase.Stepping st && st.tx().step == step
        && job.layout.epoch() == epoch) {
      return Optional.of(st.tx());
    }
    return Optional.empty();
  }
}
