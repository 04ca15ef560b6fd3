package io.elaswave.actors.scheduler;

import io.elaswave.planner.Layout;
import io.elaswave.planner.NodeId;
import io.elaswave.planner.frequency.ClockModel;
import io.elaswave.planner.frequency.ClockPlan;
import io.elaswave.planner.frequency.ClockPlanner;
import io.elaswave.planner.frequency.FrequencyMode;
import io.elaswave.planner.recovery.Measurements;
import io.elaswave.planner.recovery.SpeedWatch;
import io.elaswave.protocol.runtime.DriverMessage;
import io.elaswave.protocol.runtime.NodeMessage;
import io.elaswave.protocol.runtime.SchedulerMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The frequency axis in the scheduler: the job's mode, and when to plan the clocks. After the
 * warm-up ({@link SpeedWatch#WARM_STEPS} measured steps) and once a layout has run
 * {@link #SETTLE} commits (its stage times measured under it), the {@link ClockPlanner} plans
 * for the committed layout and every node whose clock differs from the plan — by what this
 * scheduler asked or by what the node's heartbeat says (a scheduler that took over knows nothing
 * else) — is asked for its clock. A new layout (a loss, a join, a speed re-plan) puts every node
 * back at nominal as it is installed, before its first step; so does the end of a job. A change
 * of mode re-plans at the next commit. Plans reach the driver with the next commit.
 *
 * <p>The loop is closed: the model knows kernels, not everything a slower node does slower (on
 * an emulated accelerator it also answers its messages slower). After a plan has run
 * {@link #VERIFY} steps, the median of all but the first is compared with the median step at
 * nominal clocks; if it is more than the tolerance slower, the plan is made again with half the
 * slowing allowed ({@code maxFill}), until it holds or every clock is nominal.
 */
final class ClockSteering {
  /** Commits under a new layout before its clocks are planned: the cost windows refill. */
  static final int SETTLE = 3;
  /** Steps a plan runs before its measured step is judged (the first is not counted). */
  static final int VERIFY = 3;
  /** Below this the slowing is given up: every node nominal. */
  static final double MIN_FILL = 1.0 / 16;

  private final Scheduling s;
  private FrequencyMode mode = FrequencyMode.OFF;
  private Job job; // the job the counts below are for
  private long epochSeen = -1;
  private int commitsInEpoch;
  private long plannedEpoch = -1;
  private Map<NodeId, Double> applied = new TreeMap<>(); // clocks asked for, nodes off nominal only
  private final List<DriverMessage.ClocksPlanned> pending = new ArrayList<>();
  private final List<Long> nominalSteps = new ArrayList<>(); // recent step ms with every clock nominal
  private final List<Long> underPlan = new ArrayList<>(); // step ms since the plan being judged
  private boolean verifying;
  private double maxFill = 1;

  ClockSteering(Scheduling s) {
    this.s = s;
  }

  /**
   * The driver's mode, sent between steps; a bad one is refused in the log and changes nothing
   * (the driver validated it). {@code off} puts the clocks back at once.
   */
  void onSetFrequency(SchedulerMessage.SetFrequency m) {
    FrequencyMode next;
    try {
      next = FrequencyMode.parse(m.mode(), s.settings.frequencyTolerance());
    } catch (IllegalArgumentException e) {
      s.context.getLog().warn("ignoring frequency mode: {}", e.getMessage());
      return;
    }
    plannedEpoch = -1; // plan again at the next commit, also for the same mode (a restarted job)
    maxFill = 1;
    verifying = false;
    if (next.equals(mode)) {
      return;
    }
    s.context.getLog().info("frequency mode {} -> {}", mode.text(), next.text());
    mode = next;
    if (next instanceof FrequencyMode.Off && s.job != null) {
      plan(s.job, s.job.measurements());
    }
  }

  void onClockSet(SchedulerMessage.ClockSet m) {
    if (!m.error().isEmpty()) {
      s.context.getLog().warn("node {} could not set its clock: {}", m.node().name(), m.error());
    }
  }

  /** A new layout is installed: every node back at nominal before its first step. */
  void layoutInstalled(Job j) {
    follow(j);
    epochSeen = j.layout.epoch();
    commitsInEpoch = 0;
    maxFill = 1;
    verifying = false;
    nominalSteps.clear(); // another layout, another step time
    if (!applied.isEmpty()) {
      List<DriverMessage.NodeClock> clocks = new ArrayList<>();
      applied.keySet().forEach(n -> clocks.add(new DriverMessage.NodeClock(n.name(), 1.0)));
      reset(j.layout.epoch());
      pending.add(new DriverMessage.ClocksPlanned(j.layout.epoch(), mode.text(), clocks,
          "new layout " + j.layout.name() + ": every node nominal until its stages are measured", 0, 0, 0, 0));
    }
  }

  /** The job ended (stopped, failed, restarted): its nodes go back to nominal. */
  void jobEnded() {
    reset(epochSeen);
    job = null;
    epochSeen = -1;
    plannedEpoch = -1;
    pending.clear();
  }

  /** After a commit of {@code j} whose step took {@code stepMillis}: plans (or judges) the clocks if it is time. */
  void afterCommit(Job j, long stepMillis) {
    follow(j);
    if (j.layout.epoch() != epochSeen) {
      epochSeen = j.layout.epoch();
      commitsInEpoch = 0;
      nominalSteps.clear();
    }
    commitsInEpoch++;
    if (applied.isEmpty() && !verifying) {
      nominalSteps.add(stepMillis);
      if (nominalSteps.size() > SETTLE) {
        nominalSteps.remove(0);
      }
    }
    if (mode instanceof FrequencyMode.Off) {
      return;
    }
    if (verifying) {
      judge(j, stepMillis);
      return;
    }
    if (plannedEpoch == j.layout.epoch()) {
      return;
    }
    Measurements m = j.measurements();
    if (m.measuredSteps() < SpeedWatch.WARM_STEPS || commitsInEpoch < SETTLE) {
      return;
    }
    plan(j, m);
  }

  /** The clock plans made since the last commit, for the driver; cleared. */
  List<DriverMessage.ClocksPlanned> drain() {
    List<DriverMessage.ClocksPlanned> out = List.copyOf(pending);
    pending.clear();
    return out;
  }

  private void follow(Job j) {
    if (j != job) { // a new job: its epochs start again at 1
      job = j;
      epochSeen = -1;
      plannedEpoch = -1;
      commitsInEpoch = 0;
      maxFill = 1;
      verifying = false;
      nominalSteps.clear();
    }
  }

  /** A plan has run one more step: after {@link #VERIFY}, keep it or make it again with half the slowing. */
  private void judge(Job j, long stepMillis) {
    underPlan.add(stepMillis);
    if (underPlan.size() < VERIFY) {
      return;
    }
    verifying = false;
    double measured = median(underPlan.subList(1, underPlan.size()));
    double nominal = median(nominalSteps);
    double limit = nominal * (1 + s.settings.frequencyTolerance());
    if (nominal <= 0 || measured <= limit) {
      return;
    }
    maxFill /= 2;
    String why = String.format(java.util.Locale.ROOT, "; measured step %+.1f%% over nominal (%.0f ms), slowing halved"
        + " to fill %.3f", 100 * (measured / nominal - 1), nominal, maxFill < MIN_FILL ? 0 : maxFill);
    if (maxFill < MIN_FILL) {
      maxFill = 0;
    }
    plan(j, j.measurements(), why);
  }

  private void plan(Job j, Measurements m) {
    plan(j, m, "");
  }

  private void plan(Job j, Measurements m, String feedback) {
    Layout layout = j.layout;
    ClockPlan plan = ClockPlanner.plan(layout, m, s.nodes.clockRanges(), s.settings.power(), mode, overhead(j, m),
        maxFill);
    plannedEpoch = layout.epoch();
    Map<NodeId, Double> next = new TreeMap<>();
    plan.clocks().forEach((node, f) -> {
      if (f != 1.0) {
        next.put(node, f);
      }
    });
    for (NodeId node : plan.clocks().keySet()) {
      double want = plan.clock(node);
      if (want != applied.getOrDefault(node, 1.0) || want != reported(node)) {
        send(node, want, layout.epoch());
      }
    }
    applied.keySet().stream().filter(n -> !plan.clocks().containsKey(n)).forEach(n -> send(n, 1.0, layout.epoch()));
    applied = next;
    List<DriverMessage.NodeClock> clocks = new ArrayList<>();
    plan.clocks().forEach((n, f) -> clocks.add(new DriverMessage.NodeClock(n.name(), f)));
    pending.add(new DriverMessage.ClocksPlanned(layout.epoch(), plan.mode(), clocks, plan.reason() + feedback,
        plan.nominal().millis(), plan.planned().millis(), plan.nominal().watts(), plan.planned().watts()));
    s.context.getLog().info("clocks for {}: {}{}", layout.name(), plan.reason(), feedback);
    underPlan.clear();
    verifying = s.settings.frequencyVerify() && !next.isEmpty() && !(mode instanceof FrequencyMode.Off)
        && !nominalSteps.isEmpty();
  }

  /**
   * The measured step time beyond the modelled compute (collectives, update, ledger): time every
   * device spends idle at static power, so that modelled power matches what a step measures.
   */
  private double overhead(Job j, Measurements m) {
    if (!nominalSteps.isEmpty()) { // measured at nominal clocks: the model's nominal step is the measured one
      return Math.max(0, median(nominalSteps) - ClockModel.step(j.layout, m, Map.of(), s.settings.power()).millis());
    }
    double compute = ClockModel.step(j.layout, m, applied, s.settings.power()).millis();
    return Math.max(0, j.stepTimes.medianMillis() - compute);
  }

  private static double median(List<Long> xs) {
    long[] a = xs.stream().mapToLong(Long::longValue).sorted().toArray();
    return a.length == 0 ? 0 : a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2.0;
  }

  /** The clock {@code node}'s last heartbeat reported (1 if unknown). */
  private double reported(NodeId node) {
    var beat = s.nodes.get(node);
    return beat == null ? 1.0 : beat.clock().clock();
  }

  /** Every node this scheduler asked off nominal goes back to 1. */
  private void reset(long epoch) {
    applied.keySet().forEach(n -> send(n, 1.0, epoch));
    applied = new TreeMap<>();
  }

  private void send(NodeId node, double clock, long epoch) {
    var beat = s.nodes.get(node);
    if (beat != null) {
      beat.guardian().tell(new NodeMessage.SetClock(epoch, clock, s.self()));
    }
  }
}
