package io.elaswave.actors.scheduler;

import io.elaswave.planner.RankId;
import io.elaswave.planner.elastic.MigrationPlan;
import io.elaswave.protocol.runtime.RankMessage;
import io.elaswave.protocol.runtime.SchedulerMessage.MigrationWaitOver;
import io.elaswave.protocol.runtime.SchedulerMessage.ShadowHeld;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Recover first, rebalance in the background. Once a loss's recover-first layout is installed,
 * the policy may name a better-balanced one ({@link MigrationPlan}); the ranks then keep shadows
 * of the blocks they gain there, current every step, while training runs under the installed
 * layout. At the first step boundary at which every holder reports the committed step the job
 * switches under a new epoch, its shadowed blocks served locally and checked against the
 * committed digests. A boundary at which the holders were one step behind waits for them a
 * bounded time ({@code elaswave.migration-wait}) rather than let the race repeat every step. Any
 * other change first drops the migration: the next plan starts from the installed layout.
 */
final class BackgroundMigration {
  static final String TIMER = "migration-wait";

  /** A migration under way under layout {@code epoch}: what holders report, and when its loss happened. */
  record Running(MigrationPlan plan, long epoch, Map<RankId, Long> held, long faultAtMillis, boolean holding) {
    boolean allAt(long step) {
      return plan.holders().stream().allMatch(r -> held.getOrDefault(r, -1L) >= step);
    }

    Running holding(boolean now) {
      return new Running(plan, epoch, held, faultAtMillis, now);
    }
  }

  private final Scheduling s;

  BackgroundMigration(Scheduling s) {
    this.s = s;
  }

  /** A loss's layout was installed: start migrating if the policy has a better-balanced one. */
  void afterLossInstalled(long faultAtMillis) {
    Job job = s.job;
    Optional<MigrationPlan> plan;
    try {
      plan = job.policy.migrateAfterLoss(job.layout, job.measurements());
    } catch (RuntimeException e) { // an optimisation: the job trains on under the installed layout
      s.context.getLog().error("no migration after the loss: {}", e.toString(), e);
      return;
    }
    if (plan.isEmpty()) {
      return;
    }
    MigrationPlan p = plan.get();
    job.migration = Optional.of(new Running(p, job.layout.epoch(), new HashMap<>(), faultAtMillis, false));
    Set<RankId> involved = new HashSet<>(p.holders());
    p.shadows().forEach(x -> involved.add(x.owner()));
    RankMessage.ShadowStart start = new RankMessage.ShadowStart(job.layout.epoch(), p.shadows(), s.self());
    involved.forEach(r -> job.ranks.get(r).control().tell(start));
    s.context.getLog().warn("migrating in the background to {}: {} blocks shadowed at {}", p.target().name(),
        p.shadows().size(), p.holders());
  }

  /** Any change or take-over starts from the installed layout: the migration under way is void. */
  void drop() {
    if (s.job != null && s.job.migration.isPresent()) {
      s.job.migration = Optional.empty();
      s.timers.cancel(TIMER);
    }
  }

  void onShadowHeld(ShadowHeld m) {
    Job job = s.job;
    if (job == null || job.migration.isEmpty() || job.migration.get().epoch() != m.epoch()) {
      return;
    }
    Running r = job.migration.get();
    r.held().merge(m.rank(), m.step(), Math::max);
    if (job.phase instanceof JobPhase.Idle && r.allAt(job.committed)) { // between steps: switch now
      s.timers.cancel(TIMER);
      switchNow(r);
    }
  }

  /**
   * At a step boundary (the job idle, the next step not begun): switch if every holder is
   * current; hold the step back if they are one step behind; else let training go on.
   */
  void atBoundary() {
    Job job = s.job;
    if (job == null || job.migration.isEmpty() || !(job.phase instanceof JobPhase.Idle)) {
      return;
    }
    Running r = job.migration.get();
    if (r.allAt(job.committed)) {
      switchNow(r);
    } else if (!r.holding() && r.allAt(job.committed - 1)) {
      job.migration = Optional.of(r.holding(true));
      s.timers.startSingleTimer(TIMER, new MigrationWaitOver(r.epoch(), job.committed + 1),
          s.settings.migrationWait());
    }
  }

  /** Whether the next step waits for the shadows. */
  boolean holdsStep() {
    return s.job != null && s.job.migration.map(Running::holding).orElse(false);
  }

  void onWaitOver(MigrationWaitOver m) {
    Job job = s.job;
    if (job != null && job.migration.isPresent() && job.migration.get().epoch() == m.epoch()
        && job.migration.get().holding()) {
      job.migration = Optional.of(job.migration.get().holding(false)); // switch at a later boundary
      s.steps.beginIfIdle();
    }
  }

  private void switchNow(Running r) {
    Job job = s.job;
    job.migration = Optional.empty();
    MigrationPlan p = r.plan().atEpoch(job.adoptedEpoch + 1);
    s.replanner.migrate(p, r.faultAtMillis());
  }
}
