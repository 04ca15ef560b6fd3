package io.elaswave.planner.recovery;

import io.elaswave.planner.Layout;
import io.elaswave.planner.RankId;
import io.elaswave.planner.measure.StepModel;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * When to re-plan for speed alone (fail-slow). After every committed step the policy is asked
 * what it would do with the measured speeds; if that plan's predicted compute time
 * ({@link StepModel}) beats the committed layout's by at least {@link #GAIN} ({@link #RECOVERED_GAIN}
 * to go back once a slow rank has recovered), on {@link #STREAK} steps in a row that all name
 * some same slow rank, the job re-plans; after any re-plan it waits {@link #COOLDOWN} commits. The cause is {@code slow} when some rank runs below
 * {@link #SLOW} × the fastest rank's speed (micro-batches and layers move away from it),
 * {@code speed-recovered} when the last re-plan was for a slow rank and none is slow now (it
 * gets its share back), otherwise {@code speeds-changed} (e.g. a pipeline of one replica, whose
 * ranks share no layer: a slow stage then reads as heavy layers, see CostTracker). Measurements are
 * medians over several steps and a re-plan must pay for itself by a margin, so one slow step or
 * the noise of a shared machine moves nothing. Pure; one per job.
 */
public final class SpeedWatch {
  /** A rank under this fraction of the fastest rank's speed is slow. */
  public static final double SLOW = 0.7;
  /** The least predicted gain worth a re-plan: it moves state and costs a step boundary. */
  public static final double GAIN = 0.15;
  /**
   * The least gain that takes a layout made for a slow rank back once no rank is slow: the
   * slowness it was made for is gone, so a small gain is no noise to chase, and it is taken once
   * (the next cause is {@code speeds-changed}). With {@link #GAIN} here a job stayed in such a
   * layout for good: 6.8% slower a step in the simulator (1 024 accelerators, pp 16), where moving
   * layers back to the even partition gains less than 15%.
   */
  public static final double RECOVERED_GAIN = 0.02;
  /**
   * Consecutive committed steps the gain must hold, naming a common slow rank: one more than the
   * measurement window, so the first and the last judgement of a streak rest on disjoint samples.
   * Consecutive medians share all but one sample each, and with a streak of 2 one noisy window
   * carried a re-plan alone: on eight node JVMs at equal 0.2-core budgets the watch re-planned
   * for "slow" ranks at 0.3-0.6 of the fastest four times in 36 steps, each set different, and the
   * job ran 15% slower than TorchFT's unchanged layout after a join (bench policies, join, 2026-12-04).
   */
  public static final int STREAK = io.elaswave.planner.measure.CostTracker.WINDOW + 1;
  /** Steps measured before speeds are trusted at all (the first steps carry JIT warm-up). */
  public static final int WARM_STEPS = 4;
  /**
   * Commits after any re-plan before speeds are judged again: the measurement windows refill
   * under the new placement, and a joining node's cold JIT does not pass for a slow node.
   */
  public static final int COOLDOWN = 5;

  /** A re-plan for speed: the event, the plan, the slow ranks, and the predicted compute times. */
  public record Decision(MembershipEvent.SpeedsChanged event, RecoveryPlan plan, List<RankId> slow,
      double beforeMillis, double afterMillis) {}

  private int streak;
  private List<RankId> streakSlow = List.of();
  private int sinceChange = COOLDOWN;
  private String lastCause = "";

  /**
   * Called after each commit; a decision once the gain has held for {@link #STREAK} steps that
   * all name some same slow rank (noise moves from rank to rank, a slow device stays; a healthy
   * rank still warming up may join the set on some steps and not others, which must not restart
   * the streak).
   */
  public Optional<Decision> observe(Layout committed, Measurements m, RecoveryPolicy policy, long nextEpoch) {
    if (m.measuredSteps() < WARM_STEPS || ++sinceChange <= COOLDOWN) {
      return Optional.empty();
    }
    Optional<Decision> d = judge(committed, m, policy, nextEpoch, lastCause);
    if (d.isEmpty()) {
      streak = 0;
      return Optional.empty();
    }
    List<RankId> slow = d.get().slow();
    List<RankId> common = streakSlow.stream().filter(slow::contains).toList();
    if (streak == 0 || slow.isEmpty() != streakSlow.isEmpty() || (!slow.isEmpty() && common.isEmpty())) {
      streak = 0; // a new streak: the first, or the slowness moved to other ranks
      common = slow;
    }
    streakSlow = common;
    if (++streak < STREAK) {
      return Optional.empty();
    }
    reset();
    lastCause = d.get().event().cause();
    return d;
  }

  /**
   * Steps from a change of speed until the re-plan it earns: the medians of the windows
   * ({@link io.elaswave.planner.measure.CostTracker#WINDOW}) turn on the sample after half of it,
   * the first of the {@link #STREAK} commits the gain must hold. What a simulator charges for noticing.
   */
  public static int stepsToAct() {
    return io.elaswave.planner.measure.CostTracker.WINDOW / 2 + STREAK;
  }

  /**
   * The re-plan the measured speeds earn now, if any (no streak, no cooldown): the policy's plan,
   * if it changes the layout and its predicted compute time beats the committed one's by
   * {@link #GAIN}. {@code lastCause} is the cause of the last re-plan for speed ("" for none).
   */
  public static Optional<Decision> judge(Layout committed, Measurements m, RecoveryPolicy policy, long nextEpoch,
      String lastCause) {
    List<RankId> slow = slowRanks(committed, m);
    String cause = !slow.isEmpty() ? "slow" : lastCause.equals("slow") ? "speed-recovered" : "speeds-changed";
    double before = StepModel.stepTime(committed, m);
    String why = String.format(Locale.ROOT, "%s: speeds %s", slow.isEmpty() ? "speeds changed"
        : slow + " below " + SLOW + " x the fastest rank's speed", speedsText(committed, m));
    MembershipEvent.SpeedsChanged event = new MembershipEvent.SpeedsChanged(cause, why, nextEpoch);
    RecoveryPlan plan;
    try {
      plan = policy.plan(committed, event, m);
    } catch (IllegalArgumentException e) {
      return Optional.empty(); // the policy has nothing better (or cannot re-plan for speed at all)
    }
    double after = StepModel.stepTime(plan.next(), m);
    boolean changes = !plan.next().stages().equals(committed.stages())
        || !plan.next().microBatchRanges().equals(committed.microBatchRanges());
    double gain = cause.equals("speed-recovered") ? RECOVERED_GAIN : GAIN;
    if (!changes || !(after <= (1 - gain) * before)) {
      return Optional.empty();
    }
    return Optional.of(new Decision(event, plan, slow, before, after));
  }

  /** The layout changed (a membership change, or this watch's own re-plan): count afresh after a cooldown. */
  public void reset() {
    streak = 0;
    sinceChange = 0;
  }

  /**
   * Ranks of the layout whose speed is below {@link #SLOW} × the fastest rank's: the fastest is
   * the nominal one (as CostTracker scales speeds), so with two of three ranks slowed both are
   * named, which a median would hide.
   */
  static List<RankId> slowRanks(Layout layout, Measurements m) {
    double top = layout.rankIds().stream().mapToDouble(m::speed).max().orElse(1.0);
    return layout.rankIds().stream().filter(r -> m.speed(r) < SLOW * top).toList();
  }

  private static String speedsText(Layout layout, Measurements m) {
    return Arrays.toString(layout.rankIds().stream()
        .map(r -> r + "=" + String.format(Locale.ROOT, "%.2f", m.speed(r))).toArray());
  }
}
