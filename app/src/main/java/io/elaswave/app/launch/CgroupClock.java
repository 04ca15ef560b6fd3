package io.elaswave.app.launch;

import io.elaswave.actors.node.FrequencyGovernor;
import io.elaswave.planner.frequency.ClockRange;
import java.io.IOException;
import java.nio.file.Path;

/**
 * An emulated accelerator's clock: its control group's CPU quota. At clock f a node of nominal
 * budget b runs with {@code f × b} cores, so its kernels take 1/f as long, exactly as on a chip
 * clocked down (the budget is the clock). Until the first set the clock is 1, whatever the quota
 * (a node boots under the whole machine's quota and gets its budget once ready). Something else
 * may change the quota too — a {@code slow:node=X} fault the launcher injects is the hardware
 * getting slower: X cores — so before each set the governor reads the quota back: if it is not
 * what it last wrote, X is the node's new nominal speed (clock 1), and the clock applies to it.
 */
public final class CgroupClock implements FrequencyGovernor {
  /** Its {@link #kind()}: a node's READY line names it, so a launcher knows the node sets its own budget. */
  public static final String KIND = "cgroup";
  private final CpuGroups groups;
  private final Path group;
  private final ClockRange range;
  private final int cores;
  private double nominalCpus;
  private double clock = 1;
  private double written = -1; // the quota last written here, cores; -1: never

  /**
   * @param nominalCpus the node's budget at clock 1
   * @param range clocks it may set
   * @param cores the machine's, which no quota may exceed
   */
  public CgroupClock(CpuGroups groups, Path group, double nominalCpus, ClockRange range, int cores) {
    this.groups = groups;
    this.group = group;
    this.nominalCpus = nominalCpus;
    this.cores = cores;
    this.range = new ClockRange(Math.max(range.min(), io.elaswave.protocol.fault.FaultParser.MIN_CPUS / nominalCpus),
        Math.max(1, Math.min(range.max(), cores / nominalCpus)));
  }

  @Override public String kind() {
    return KIND;
  }

  @Override public ClockRange range() {
    return range;
  }

  @Override public synchronized double clock() {
    return clock;
  }

  @Override public synchronized double set(double f) throws IOException {
    double now = current();
    // the quota moved under us (a slow fault): that is the node's speed now; before the first set
    // only a quota other than the budget and the boot quota (the whole machine) counts as one
    boolean moved = written >= 0 ? Math.abs(now - written) > 1e-3
        : Math.abs(now - nominalCpus) > 1e-3 && now < cores - 1e-3;
    if (moved) {
      nominalCpus = now;
      clock = 1;
    }
    double target = Math.min(range.clamp(f) * nominalCpus, cores);
    groups.setBudget(group, new CpuBudget(Math.max(io.elaswave.protocol.fault.FaultParser.MIN_CPUS, target)));
    written = current();
    clock = written / nominalCpus;
    return clock;
  }

  /** Until the first set the quota is whatever the node booted under; from now on it is the clock's. */
  @Override public synchronized void enterJob() throws IOException {
    if (written < 0) {
      set(clock);
    }
  }

  /** The nominal budget the clock is a fraction of, cores. */
  public synchronized double nominalCpus() {
    return nominalCpus;
  }

  private double current() throws IOException {
    return groups.cpus(group).orElse((double) cores);
  }

  @Override public String toString() {
    return "cgroup clock of " + group + " (nominal " + nominalCpus + " cpus, " + range + ")";
  }
}
