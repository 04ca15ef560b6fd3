package io.elaswave.sim;

import io.elaswave.planner.Layout;
import io.elaswave.planner.ModelProfile;
import io.elaswave.planner.NodeId;
import io.elaswave.planner.PlanRequest;
import io.elaswave.planner.RankId;
import io.elaswave.planner.RankInfo;
import io.elaswave.planner.StagePartitioner;
import io.elaswave.planner.StaticPlanner;
import io.elaswave.planner.measure.StepModel;
import io.elaswave.planner.recovery.Measurements;
import io.elaswave.planner.recovery.MembershipEvent;
import io.elaswave.planner.recovery.RecoveryPlan;
import io.elaswave.planner.recovery.RecoveryPolicies;
import io.elaswave.planner.recovery.RecoveryPolicy;
import io.elaswave.planner.recovery.SpeedWatch;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.DoubleConsumer;

/**
 * A job in simulated time. Nodes fail and are repaired as the {@link FailureModel} draws (every
 * policy of one seed sees the same draws); between events the job commits steps at the pace of
 * its layout (the 1F1B {@link StepModel} of the planner, plus the data-parallel gradient exchange
 * over the node links, plus the checkpoint cost spread over its steps). On a failure the step in
 * flight is lost, and the policy — the runtime's own {@link RecoveryPolicy} — plans the next
 * layout, timed; the job is down for detection + plan + the transfers of the plan (bytes over the
 * busiest node link) + re-wiring, or, for a checkpoint restart, detection + plan + restart, and
 * redoes the steps since the checkpoint. A repaired node rejoins as new ranks at a step boundary.
 * ElasWave's background migration toward the balanced plan runs while steps go, and switches
 * when its bytes have moved. A policy that cannot go on stalls until a repair lets it.
 *
 * <p>A node that turns slow ({@link SlowdownModel}) runs its accelerators at a fraction of their
 * speed from that instant; {@link SpeedWatch#stepsToAct()} steps later, when the runtime's
 * measurements would have turned, the policy is asked what it would do with the measured speeds
 * and the planner's own {@link SpeedWatch#judge} decides, as the scheduler does; the re-plan lands
 * at a step boundary. The episode's end is judged the same way.
 */
public final class Simulation {
  private static final double DAY = 86_400;
  /** A layout counts as degraded when its step is this much slower than nominal (or its batch smaller). */
  static final double DEGRADED = 1.01;

  private final SimConfig c;
  private final RecoveryPolicy policy;
  private final ModelProfile profile;
  private final io.elaswave.engine.param.ParamBlocks blocks; // built once: the profile builds it afresh each call
  private final double blockSeconds;
  private final SplittableRandom rng;
  private final PriorityQueue<SimEvent.At> events = new PriorityQueue<>();
  private final boolean[] up;
  private final SlowNodes slow;
  private String lastSpeedCause = "";
  private long seq;
  private int nextRank;

  private Layout layout;
  private Measurements measured;
  private double stepSeconds; // with the checkpoint cost spread over its steps
  private double now;
  private double resumeAt; // not training before this (a recovery in progress)
  private double progress; // seconds into the step in flight
  private boolean stalled;
  private double stalledSince;
  /** The live ranks of a stalled job, too few for one replica until repairs bring more. */
  private final List<RankInfo> stalledRanks = new ArrayList<>();
  private long lastPlanNanos; // the planner's wall time for the last event
  private long committed;
  private long shortBatchSteps;
  private double tokens;
  private double stepsRedone;
  private double degradedSeconds;
  private double downSeconds;
  private int failures;
  private int repairs;
  private int stalls;
  private int slowdowns;
  private int speedReplans;
  private final List<Double> mttr = new ArrayList<>();
  private final List<Double> plannerMillis = new ArrayList<>();
  private final List<Double> days = new ArrayList<>();
  private double nominalStep;
  private double nominalTokensPerSecond;

  public Simulation(SimConfig config) {
    this.c = config;
    this.policy = RecoveryPolicies.named(config.policy());
    this.profile = config.model().profile(config.dp());
    this.blocks = profile.paramBlocks();
    this.blockSeconds = config.hardware().blockSeconds(config.model());
    this.rng = new SplittableRandom(config.seed());
    this.up = new boolean[config.nodes()];
    this.slow = new SlowNodes(config.slowdowns(), config.nodes(), config.seed());
  }

  /** Runs the job to its last simulated second; {@code progress} hears the fraction done at each day. */
  public SimResult run(DoubleConsumer progress) {
    start();
    for (int n = 0; n < c.nodes(); n++) {
      up[n] = true;
      schedule(c.failures().nextFailure(rng), new SimEvent.Fails(n));
      if (c.slowdowns().any()) {
        schedule(slow.firstOnset(), new SimEvent.SlowStarts(n));
      }
    }
    double end = c.days() * DAY;
    for (int d = 1; d <= Math.ceil(c.days()); d++) {
      schedule(Math.min(end, d * DAY), new SimEvent.DayEnds(d));
    }
    while (!events.isEmpty() && events.peek().at() <= end) {
      SimEvent.At e = events.poll();
      advance(e.at());
      if (e.kind() instanceof SimEvent.Fails f) {
        fail(f.node());
      } else if (e.kind() instanceof SimEvent.Repaired r) {
        repair(r.node());
      } else if (e.kind() instanceof SimEvent.Migrated m) {
        migrated(m);
      } else if (e.kind() instanceof SimEvent.SlowStarts s) {
        slowStarts(s.node());
      } else if (e.kind() instanceof SimEvent.SlowEnds s) {
        slowEnds(s);
      } else if (e.kind() instanceof SimEvent.SpeedCheck) {
        speedCheck();
      } else if (e.kind() instanceof SimEvent.DayEnds d) {
        days.add(ettr());
        progress.accept(Math.min(1, now / end));
      }
    }
    advance(end);
    return new SimResult(policy.name(), c.model().name(), c.accelerators(), c.dp(), c.pp(), c.microBatches(),
        c.days(), c.seed(), nominalStep, nominalTokensPerSecond, failures, repairs, stalls, slowdowns, speedReplans, ettr(),
        tokens / Math.max(now, 1e-9), committed, shortBatchSteps, stepsRedone, degradedSeconds, downSeconds, Percentiles.of(mttr),
        Percentiles.of(plannerMillis), days);
  }

  /**
   * One loss and nothing else, on a job just started: node {@code n} fails at the first instant,
   * nothing is repaired and no other node fails; the job recovers as its policy plans and, for
   * ElasWave, switches to its background migration's layout. What the validation against
   * measured runs compares (the {@code bench policies} scenario).
   */
  public OneLoss oneLoss(int n) {
    start();
    java.util.Arrays.fill(up, true);
    double before = tokensPerStep(layout) / stepSeconds;
    fail(n);
    double mttr = resumeAt - now;
    double recovered = tokensPerStep(layout) / stepSeconds;
    String recoveredLayout = layout.describe();
    while (!events.isEmpty()) {
      SimEvent.At e = events.poll();
      if (e.kind() instanceof SimEvent.Migrated m) {
        advance(e.at());
        migrated(m);
      }
    }
    return new OneLoss(before, mttr, recovered, recoveredLayout, tokensPerStep(layout) / stepSeconds,
        layout.describe(), stepsRedone);
  }

  /**
   * A {@link #oneLoss}: tokens/s before, seconds from the fault to training again, tokens/s of
   * the layout it recovered to and of the one it settled at (the same unless a background
   * migration switched), and steps redone.
   */
  public record OneLoss(double tokensPerSecondBefore, double mttrSeconds, double tokensPerSecondRecovered,
      String recoveredLayout, double tokensPerSecondSettled, String settledLayout, double stepsRedone) {}

  /** The initial layout (and standby ranks, for a policy that keeps them) installed; the nominal pace. */
  private void start() {
    int perNode = c.hardware().acceleratorsPerNode();
    List<RankInfo> ranks = new ArrayList<>();
    for (int r = 0; r < c.dp() * c.pp(); r++) {
      ranks.add(RankInfo.of(r, node(r / perNode)));
    }
    nextRank = c.dp() * c.pp();
    Layout initial = StaticPlanner.plan(PlanRequest.of(ranks, c.dp(), c.pp(), c.microBatches(), profile));
    if (policy.standbyPerNode() > 0) {
      List<RankInfo> standby = new ArrayList<>();
      for (int n = 0; n < c.nodes(); n++) {
        for (int k = 0; k < policy.standbyPerNode(); k++) {
          standby.add(RankInfo.of(nextRank++, node(n)));
        }
      }
      initial = initial.withStandby(standby);
    }
    install(initial);
    nominalStep = stepSeconds;
    nominalTokensPerSecond = tokensPerStep(initial) / nominalStep;
  }

  private double ettr() {
    return now <= 0 ? 1 : tokens / (nominalTokensPerSecond * now);
  }

  private static String node(int n) {
    return "node-" + n;
  }

  private void schedule(double at, SimEvent kind) {
    events.add(new SimEvent.At(at, seq++, kind));
  }

  /** Trains from {@code now} to {@code to} at the layout's pace, unless recovering or stalled. */
  private void advance(double to) {
    if (to <= now) {
      return;
    }
    double from = Math.max(now, resumeAt);
    if (stalled) {
      downSeconds += to - now;
    } else {
      downSeconds += Math.max(0, Math.min(to, resumeAt) - now);
      if (to > from) {
        double total = progress + (to - from);
        long steps = (long) Math.floor(total / stepSeconds);
        progress = total - steps * stepSeconds;
        committed += steps;
        tokens += steps * tokensPerStep(layout);
        if (stepSeconds > nominalStep * DEGRADED || !layout.fullBatch()) {
          degradedSeconds += to - from;
        }
        if (!layout.fullBatch()) {
          shortBatchSteps += steps;
        }
      }
    }
    now = to;
  }

  private void fail(int n) {
    failures++;
    up[n] = false;
    slow.failed(n);
    schedule(now + c.failures().repair(rng), new SimEvent.Repaired(n));
    if (stalled) {
      stalledRanks.removeIf(i -> i.node().name().equals(node(n)));
      return;
    }
    Set<RankId> lost = new HashSet<>(layout.ranksOnNode(NodeId.of(node(n))));
    if (lost.isEmpty()) {
      return; // it ran nothing (the restart baseline may leave nodes unused)
    }
    if (!stalled && now >= resumeAt) {
      stepsRedone += progress / stepSeconds; // the step in flight is lost
      progress = 0;
    }
    double start = Math.max(now, resumeAt);
    Optional<RecoveryPlan> plan = plan(new MembershipEvent.RanksLost(lost, layout.epoch() + 1));
    if (plan.isEmpty()) { // the policy cannot go on: restart from the checkpoint on what is left, if anything
      List<RankInfo> survivors = layout.allRanks().stream().filter(i -> !lost.contains(i.rank())).toList();
      stalls++;
      Optional<Layout> fresh = restartOn(survivors);
      if (fresh.isEmpty()) {
        stalled = true;
        stalledSince = now;
        stalledRanks.clear();
        stalledRanks.addAll(survivors);
        rollBack();
        return;
      }
      resumeAt = start + restart(fresh.get(), true);
      mttr.add(resumeAt - now);
      return;
    }
    double down = apply(plan.get(), true);
    resumeAt = start + down;
    mttr.add(resumeAt - now);
  }

  /** A fresh static plan over {@code alive} (as many replicas as fit, at most the job's), spares on standby. */
  private Optional<Layout> restartOn(List<RankInfo> alive) {
    int dp = Math.min(c.dp(), alive.size() / c.pp());
    if (dp < 1) {
      return Optional.empty();
    }
    List<RankInfo> sorted = alive.stream().sorted(java.util.Comparator.comparing(RankInfo::rank)).toList();
    List<RankInfo> used = sorted.subList(0, dp * c.pp());
    Layout fresh = StaticPlanner.plan(PlanRequest.of(used, dp, c.pp(), c.microBatches(), profile))
        .withEpoch(layout.epoch() + 1);
    return Optional.of(fresh.withStandby(sorted.subList(dp * c.pp(), sorted.size())));
  }

  /** Restarts from the checkpoint as {@code fresh}; returns the seconds down. */
  private double restart(Layout fresh, boolean afterFault) {
    rollBack();
    install(fresh);
    return (afterFault ? c.hardware().detectSeconds() : 0) + c.planTime().seconds(lastPlanNanos)
        + c.hardware().restartSeconds();
  }

  /** Back to the last checkpoint: the steps since, and the step in flight, are done again. */
  private void rollBack() {
    long redo = committed - checkpointed();
    stepsRedone += redo + progress / stepSeconds;
    tokens -= redo * tokensPerStep(layout);
    committed = checkpointed();
    progress = 0;
  }

  private void repair(int n) {
    repairs++;
    up[n] = true;
    schedule(now + c.failures().nextFailure(rng), new SimEvent.Fails(n));
    List<RankInfo> joined = new ArrayList<>();
    for (int k = 0; k < c.hardware().acceleratorsPerNode() + policy.standbyPerNode(); k++) {
      joined.add(RankInfo.of(nextRank++, node(n)));
    }
    if (stalled) {
      stalledRanks.addAll(joined);
      Optional<Layout> fresh = restartOn(stalledRanks);
      if (fresh.isPresent()) {
        stalled = false;
        resumeAt = now + restart(fresh.get(), false);
        mttr.add(resumeAt - stalledSince);
      }
      return;
    }
    Optional<RecoveryPlan> plan = plan(new MembershipEvent.RanksJoined(joined, c.pp(), layout.epoch() + 1));
    if (plan.isPresent()) { // a join waits for the step boundary: the step in flight is kept
      double boundary = Math.max(now, resumeAt) + (stepSeconds - progress);
      advanceTo(boundary);
      resumeAt = Math.max(now, resumeAt) + apply(plan.get(), false);
    }
  }

  /** Runs on to the step boundary {@code at} (a join lands there), in the same accounting. */
  private void advanceTo(double at) {
    advance(at);
    progress = 0; // exactly a boundary (floating point aside)
  }

  /** The policy's plan, timed; empty when it cannot go on. */
  private Optional<RecoveryPlan> plan(MembershipEvent event) {
    long t0 = System.nanoTime();
    try {
      return Optional.of(policy.plan(layout, event, measured));
    } catch (IllegalArgumentException | IllegalStateException e) {
      return Optional.empty();
    } finally {
      lastPlanNanos = System.nanoTime() - t0;
      plannerMillis.add(lastPlanNanos / 1e6);
    }
  }

  /** Installs {@code plan}; returns the seconds the job is down for it. */
  private double apply(RecoveryPlan plan, boolean afterFault) {
    Hardware h = c.hardware();
    double down = (afterFault ? h.detectSeconds() : 0) + c.planTime().seconds(lastPlanNanos);
    Layout before = layout;
    if (plan.resume() == RecoveryPlan.Resume.FROM_CHECKPOINT) {
      rollBack();
      down += h.restartSeconds();
    } else {
      down += Transfers.seconds(before, plan.next(), plan.transfers(), blocks, c.model().unit(), h)
          + h.reconfigureSeconds();
    }
    install(plan.next());
    double downtime = down;
    if (afterFault) {
      policy.migrateAfterLoss(layout, measured).ifPresent(m -> schedule(now + downtime
          + Transfers.seconds(layout, m.target(), m.switchTransfers(), blocks, c.model().unit(), h)
          + Transfers.shadowSeconds(layout, m.shadows(), blocks, c.model().unit(), h), new SimEvent.Migrated(layout.epoch(),
          m.target())));
    }
    return down;
  }

  /** A background migration is ready: it switches at the next step boundary if its layout still runs. */
  private void migrated(SimEvent.Migrated m) {
    if (stalled || layout.epoch() != m.from()) {
      return; // another change came first: that plan made its own migration
    }
    double boundary = Math.max(now, resumeAt) + (stepSeconds - progress);
    advanceTo(boundary);
    install(m.target());
    resumeAt = now + c.hardware().reconfigureSeconds();
  }

  private long checkpointed() {
    return committed - committed % c.hardware().checkpointEvery();
  }

  /** Makes {@code next} the running layout: the speeds of shared accelerators and its pace. */
  private void install(Layout next) {
    layout = next;
    int perNode = c.hardware().acceleratorsPerNode();
    Map<RankId, Double> speeds = slow.apply(next, AcceleratorSharing.speeds(next, perNode));
    measured = new Measurements(profile, speeds, new long[profile.layerCount()], StagePartitioner.NO_MEMORY_CAP, 1);
    Hardware h = c.hardware();
    double compute = StepModel.stepTime(next, measured) * blockSeconds;
    stepSeconds = compute + Transfers.gradientSeconds(next, profile, c.model().unit(), h)
        + h.checkpointSeconds() / h.checkpointEvery();
  }

  /** Node {@code n} turns slow: the pace drops now; the job notices after the measurements turn. */
  private void slowStarts(int n) {
    SlowNodes.Episode e = slow.draw(n);
    schedule(now + e.endsAfter(), new SimEvent.SlowEnds(n, e.number()));
    schedule(now + e.nextAfter(), new SimEvent.SlowStarts(n));
    if (!up[n]) {
      return; // down already: the episode passes unseen
    }
    slowdowns++;
    slow.slow(n);
    speedChanged();
  }

  private void slowEnds(SimEvent.SlowEnds e) {
    if (slow.end(e.node(), e.episode())) { // void if a failure ended it first
      speedChanged();
    }
  }

  /** The running layout at the new speeds (the step in flight goes on at them), judged once the measurements turn. */
  private void speedChanged() {
    if (stalled) {
      return;
    }
    install(layout);
    if (policy.replansForSpeed()) {
      schedule(Math.max(now, resumeAt) + SpeedWatch.stepsToAct() * stepSeconds, new SimEvent.SpeedCheck());
    }
  }

  /** The planner's judgement of the measured speeds; a re-plan it earns lands at the next step boundary. */
  private void speedCheck() {
    if (stalled) {
      return;
    }
    long t0 = System.nanoTime();
    Optional<SpeedWatch.Decision> d = SpeedWatch.judge(layout, measured, policy, layout.epoch() + 1, lastSpeedCause);
    lastPlanNanos = System.nanoTime() - t0;
    plannerMillis.add(lastPlanNanos / 1e6);
    if (d.isEmpty()) {
      return;
    }
    speedReplans++;
    lastSpeedCause = d.get().event().cause();
    double boundary = Math.max(now, resumeAt) + (stepSeconds - progress);
    advanceTo(boundary);
    resumeAt = Math.max(now, resumeAt) + apply(d.get().plan(), false);
  }

  private double tokensPerStep(Layout l) {
    return (double) l.batchMicroBatches() * c.model().tokensPerMicroBatch();
  }
}
