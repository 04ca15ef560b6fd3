package io.elaswave.actors.scheduler;

import io.elaswave.planner.Layout;
import io.elaswave.planner.NodeId;
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
 * warm-up ({@link SpeedWatch#WARM_STEPS} measured steps) and once a new layout has run
 * {@link #SETTLE} commits (its stage times measured under it, at nominal clocks), the
 * {@link ClockPlanner} plans for the committed layout and every node's governor is asked for its
 * clock. A new layout (a re-partition after a loss, a join, a speed re-plan) first puts every
 * node back at its nominal clock, so the next plan starts from what the new stages measure;
 * a change of mode re-plans at the next commit. Plans reach the driver with the next commit.
 */
final class ClockSteering {
  /** Commits under a new layout before its clocks are planned: the cost windows refill. */
  static final int SETTLE = 3;

  private final Scheduling s;
  private FrequencyMode mode = FrequencyMode.OFF;
  private long epochSeen = -1;
  private int commitsInEpoch;
  private long plannedEpoch = -1;
  private Map<NodeId, Double> applied = new TreeMap<>(); // clocks asked for, nodes off nominal only
  private final List<DriverMessage.ClocksPlanned> pending = new ArrayList<>();

  ClockSteering(Scheduling s) {
    this.s = s;
  }

  /** The driver's mode; a bad one is refused in the log and changes nothing (the driver validated it). */
  void onSetFrequency(SchedulerMessage.SetFrequency m) {
    FrequencyMode next;
    try {
      next = FrequencyMode.parse(m.mode(), s.settings.frequencyTolerance());
    } catch (IllegalArgumentException e) {
      s.context.getLog().warn("ignoring frequency mode: {}", e.getMessage());
      return;
    }
    if (next.equals(mode)) {
      return;
    }
    s.context.getLog().info("frequency mode {} -> {}", mode.text(), next.text());
    mode = next;
    plannedEpoch = -1;
    if (next instanceof FrequencyMode.Off && s.job != null) {
      plan(s.job.layout, s.job.measurements()); // back to nominal at once
    }
  }

  void onClockSet(SchedulerMessage.ClockSet m) {
    if (!m.error().isEmpty()) {
      s.context.getLog().warn("node {} could not set its clock: {}", m.node().name(), m.error());
    }
  }

  /** After a commit of {@code job}: plans the clocks if it is time. */
  void afterCommit(Job job) {
    Layout layout = job.layout;
    if (layout.epoch() != epochSeen) {
      epochSeen = layout.epoch();
      commitsInEpoch = 0;
      if (!applied.isEmpty()) {
        reset(layout);
      }
    }
    commitsInEpoch++;
    if (mode instanceof FrequencyMode.Off || plannedEpoch == layout.epoch()) {
      return;
    }
    Measurements m = job.measurements();
    if (m.measuredSteps() < SpeedWatch.WARM_STEPS || commitsInEpoch < SETTLE) {
      return;
    }
    plan(layout, m);
  }

  /** The clock plans made since the last commit, for the driver; cleared. */
  List<DriverMessage.ClocksPlanned> drain() {
    List<DriverMessage.ClocksPlanned> out = List.copyOf(pending);
    pending.clear();
    return out;
  }

  private void plan(Layout layout, Measurements m) {
    ClockPlan plan = ClockPlanner.plan(layout, m, s.nodes.clockRanges(), s.settings.power(), mode);
    plannedEpoch = layout.epoch();
    Map<NodeId, Double> next = new TreeMap<>();
    plan.clocks().forEach((node, f) -> {
      if (f != 1.0) {
        next.put(node, f);
      }
    });
    applied.keySet().stream().filter(n -> !next.containsKey(n)).forEach(n -> send(n, 1.0, layout.epoch()));
    next.forEach((n, f) -> send(n, f, layout.epoch()));
    applied = next;
    List<DriverMessage.NodeClock> clocks = new ArrayList<>();
    plan.clocks().forEach((n, f) -> clocks.add(new DriverMessage.NodeClock(n.name(), f)));
    pending.add(new DriverMessage.ClocksPlanned(layout.epoch(), plan.mode(), clocks, plan.reason(),
        plan.nominal().millis(), plan.planned().millis(), plan.nominal().watts(), plan.planned().watts()));
    s.context.getLog().info("clocks for {}: {}", layout.name(), plan.reason());
  }

  /** Every node asked off nominal goes back to 1 (a new layout is measured at nominal clocks). */
  private void reset(Layout layout) {
    applied.keySet().forEach(n -> send(n, 1.0, layout.epoch()));
    applied = new TreeMap<>();
  }

  private void send(NodeId node, double clock, long epoch) {
    var beat = s.nodes.get(node);
    if (beat != null) {
      beat.guardian().tell(new NodeMessage.SetClock(epoch, clock, s.self()));
    }
  }
}
