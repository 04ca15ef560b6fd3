package io.elaswave.app.launch;

import io.elaswave.actors.node.FrequencyGovernor;
import io.elaswave.planner.frequency.ClockRange;
import java.io.IOException;
import java.nio.file.Path;

/**
 * An emulated accelerator's clock: its control group's CPU quota. At clock f a node of nominal
 * budget b runs with {@code f × b} cores, so its kernels take 1/f as long, exactly as on a chip
 * clocked down (the budget is the clock). Something else may change the quota too — a
 * {@code slow:} fault the launcher injects is the hardware getting slower — so before each set
 * the governor reads the quota back: if it is not what it last wrote, the node's nominal speed
 * has changed under it, and the clock applies to the new speed.
 */
public final class CgroupClock implements FrequencyGovernor {
  private final CpuGroups groups;
  private final Path group;
  private final ClockRange range;
  private double nominalCpus;
  private double clock = 1;
  private double written;

  /**
   * @param nominalCpus the node's budget at clock 1
   * @param range clocks it may set; the top is cut to the machine's cores
   */
  public CgroupClock(CpuGroups groups, Path group, double nominalCpus, ClockRange range, int cores) {
    this.groups = groups;
    this.group = group;
    this.nominalCpus = nominalCpus;
    this.range = new ClockRange(Math.max(range.min(), io.elaswave.protocol.fault.FaultParser.MIN_CPUS / nominalCpus),
        Math.max(1, Math.min(range.max(), cores / nominalCpus)));
    this.written = nominalCpus;
  }

  @Override public String kind() {
    return "cgroup";
  }

  @Override public ClockRange range() {
    return range;
  }

  @Override public synchronized double clock() throws IOException {
    return current() / nominalCpus;
  }

  @Override public synchronized double set(double f) throws IOException {
    double now = current();
    if (Math.abs(now - written) > 1e-3) {
      nominalCpus = now / clock; // the quota moved under us: the node's speed changed (a slow fault)
    }
    double target = range.clamp(f);
    CpuBudget budget = new CpuBudget(Math.max(io.elaswave.protocol.fault.FaultParser.MIN_CPUS, target * nominalCpus));
    groups.setBudget(group, budget);
    written = current();
    clock = written / nominalCpus;
    return clock;
  }

  /** The nominal budget the clock is a fraction of, cores. */
  public synchronized double nominalCpus() {
    return nominalCpus;
  }

  private double current() throws IOException {
    return groups.cpus(group).orElse((double) Runtime.getRuntime().availableProcessors());
  }

  @Override public String toString() {
    return "cgroup clock of " + group + " (nominal " + nominalCpus + " cpus, " + range + ")";
  }
}
