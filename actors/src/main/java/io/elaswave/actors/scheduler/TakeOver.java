package io.elaswave.actors.scheduler;

import io.elaswave.persistence.BlockDigestEntry;
import io.elaswave.persistence.JobLedger;
import io.elaswave.persistence.LedgerState;
import io.elaswave.planner.BlockId;
import io.elaswave.planner.NodeId;
import io.elaswave.planner.RankId;
import io.elaswave.planner.RankInfo;
import io.elaswave.protocol.runtime.SchedulerMessage;
import io.elaswave.protocol.runtime.SchedulerMessage.LedgerLoaded;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A scheduler starts by reading the ledger; until it has, driver requests wait. If the ledger
 * holds an active job, a previous scheduler ran it and its node is gone: rebuild the job, give
 * the live nodes until each has reported its ranks (a grace at most), then move every live rank to a
 * fresh epoch without the missing ones (so a step left half-done is rolled back everywhere) and
 * rerun the step that was in flight.
 */
final class TakeOver {
  private static final Duration LOAD_TIMEOUT = Duration.ofSeconds(30);

  private final Scheduling s;
  private final List<SchedulerMessage> deferred = new ArrayList<>();
  private boolean loaded;

  TakeOver(Scheduling s) {
    this.s = s;
    s.context.ask(LedgerState.class, s.ledger.ledger(), LOAD_TIMEOUT, JobLedger.GetState::new,
        (state, error) -> state != null
            ? new LedgerLoaded(state.hasActiveJob() ? state.spec() : null,
                state.hasActiveJob() ? state.installedOrCurrent() : null, state.currentEpoch(), state.committedStep(),
                state.committedBlockDigests().stream().map(BlockDigestEntry::toBlockDigest).toList())
            : new LedgerLoaded(null, null, 0, 0, List.of()));
  }

  /** False until the ledger is read; messages that need the job's state are held till then. */
  boolean loaded() {
    return loaded;
  }

  void defer(SchedulerMessage m) {
    deferred.add(m);
  }

  void onLedgerLoaded(LedgerLoaded m) {
    loaded = true;
    if (m.spec() != null && m.layout() != null) {
      takeOver(m);
    }
    List<SchedulerMessage> held = new ArrayList<>(deferred);
    deferred.clear();
    held.forEach(x -> s.self().tell(x));
  }

  private void takeOver(LedgerLoaded m) {
    Job job = JobStarter.newJob(s.settings, m.spec(), Optional.empty(), m.layout(),
        new JobPhase.TakingOver(System.currentTimeMillis()));
    job.committed = m.committedStep();
    job.adoptedEpoch = Math.max(m.adoptedEpoch(), m.layout().epoch()); // a change may have been under way
    Map<BlockId, Long> digests = new HashMap<>();
    m.committedDigests().forEach(d -> digests.put(new BlockId(d.layer(), d.block()), d.digest()));
    job.committedDigests = Map.copyOf(digests);
    // the step the lost scheduler had in flight, or the next one: run it even before the driver asks
    job.request = Optional.of(new Job.StepRequest(job.committed + 1, Optional.empty()));
    s.job = job;
    s.context.getLog().warn("taking over job {} at step {} under {}", m.spec().config().model(), job.committed,
        m.layout().name());
    s.timers.startSingleTimer("take-over", new SchedulerMessage.TakeOverReady(), s.settings.takeOverGrace());
    maybeReady(); // the live nodes' beats may all be in already
  }

  /** Every live worker has reported its ranks: the grace need not run out. */
  void maybeReady() {
    if (s.job != null && s.job.phase instanceof JobPhase.TakingOver && s.liveness.everyLiveWorkerHeard()) {
      s.timers.cancel("take-over");
      onTakeOverReady();
    }
  }

  void onTakeOverReady() {
    Job job = s.job;
    if (job == null || !(job.phase instanceof JobPhase.TakingOver t)) {
      return;
    }
    Set<RankId> live = new HashSet<>();
    for (RankInfo r : job.layout.allRanks()) {
      var n = s.nodes.get(r.node());
      if (n != null) {
        n.ranks().stream().filter(x -> x.rank().equals(r.rank())).findFirst().ifPresent(x -> {
          job.ranks.put(x.rank(), x);
          live.add(x.rank());
        });
      }
    }
    Set<RankId> lost = new HashSet<>();
    job.layout.allRanks().forEach(r -> lost.add(r.rank()));
    lost.removeAll(live);
    List<NodeId> lostNodes = job.layout.allRanks().stream().filter(r -> lost.contains(r.rank())).map(RankInfo::node)
        .distinct().toList();
    job.phase = new JobPhase.Idle();
    s.replanner.lose(lost, lostNodes, "scheduler-failover", t.sinceMillis());
  }
}
