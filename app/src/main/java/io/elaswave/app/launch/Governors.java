package io.elaswave.app.launch;

import io.elaswave.actors.node.CpufreqClock;
import io.elaswave.actors.node.FixedClock;
import io.elaswave.actors.node.FrequencyGovernor;
import io.elaswave.planner.frequency.ClockRange;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Which governor a node JVM's clock has ({@code elaswave.frequency.governor}): {@code auto} (the
 * default) is the CPU budget of the control group it runs in if it has one (an emulated
 * accelerator: the launcher passes the nominal budget as {@code -Delaswave.node.cpus},
 * {@code elaswave node --cpus} knows its own), else none ("fixed"); {@code cpufreq} asks for
 * Linux cpufreq (machine-wide: one node per machine; its limits are restored when the node
 * exits); {@code fixed} for none. A GPU governor would be chosen here (see
 * {@link FrequencyGovernor}).
 */
public final class Governors {
  /** The system property a launched node's nominal budget comes in. */
  public static final String NOMINAL_CPUS = "elaswave.node.cpus";

  private Governors() {}

  /**
   * The governor of this JVM; {@code budget} is its own budget when it set one (node --cpus).
   *
   * @throws IllegalArgumentException in one line for an unknown {@code choice} or a cpufreq that is not there
   */
  public static FrequencyGovernor detect(String choice, Optional<Double> budget, ClockRange range) {
    switch (choice) {
      case "fixed":
        return FixedClock.INSTANCE;
      case "cpufreq": {
        CpufreqClock c = CpufreqClock.detect(CpufreqClock.SYSFS).orElseThrow(() -> new IllegalArgumentException(
            "elaswave.frequency.governor = cpufreq: no writable " + CpufreqClock.SYSFS + "/policy*/scaling_max_freq"));
        Runtime.getRuntime().addShutdownHook(new Thread(c::restore, "elaswave-cpufreq-restore"));
        return c;
      }
      case "auto":
        return cgroup(budget, range).orElse(FixedClock.INSTANCE);
      default:
        throw new IllegalArgumentException("elaswave.frequency.governor = " + choice
            + ": expected auto, cpufreq or fixed");
    }
  }

  /** The clock of the budget group this JVM runs in, if it runs in one of ours with a known nominal budget. */
  private static Optional<FrequencyGovernor> cgroup(Optional<Double> budget, ClockRange range) {
    try {
      Optional<Double> nominal = budget.or(() -> Optional.ofNullable(System.getProperty(NOMINAL_CPUS))
          .map(Double::parseDouble));
      if (nominal.isEmpty()) {
        return Optional.empty();
      }
      CpuGroups groups = CpuGroups.detect();
      Optional<Path> own = ownGroup(groups, Files.readAllLines(Path.of("/proc/self/cgroup")));
      return own.map(g -> new CgroupClock(groups, g, nominal.get(), range, machineCores()));
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // no control group to govern (or a malformed -D): the clock is fixed
    }
  }

  /**
   * The machine's online CPUs ({@code /sys/devices/system/cpu/online}, e.g. {@code 0-1}): a node
   * JVM is told it has fewer ({@code -XX:ActiveProcessorCount}).
   */
  static int machineCores() {
    try {
      int n = 0;
      for (String part : Files.readString(Path.of("/sys/devices/system/cpu/online")).trim().split(",")) {
        String[] ab = part.split("-");
        n += ab.length == 1 ? 1 : Integer.parseInt(ab[1]) - Integer.parseInt(ab[0]) + 1;
      }
      return Math.max(1, n);
    } catch (IOException | RuntimeException e) {
      return Runtime.getRuntime().availableProcessors();
    }
  }

  /**
   * This process's group in {@code groups}' hierarchy from {@code /proc/self/cgroup}'s lines
   * (v1: {@code N:cpu,cpuacct:/path}; v2: {@code 0::/path}), if it is one of ours.
   */
  static Optional<Path> ownGroup(CpuGroups groups, List<String> procSelfCgroup) {
    for (String line : procSelfCgroup) {
      String[] parts = line.split(":", 3);
      if (parts.length < 3) {
        continue;
      }
      boolean match = groups.version() == CpuGroups.Version.V2 ? parts[0].equals("0") && parts[1].isEmpty()
          : List.of(parts[1].split(",")).contains("cpu");
      String rel = parts[2].startsWith("/") ? parts[2].substring(1) : parts[2];
      if (match && !rel.isEmpty() && Path.of(rel).getFileName().toString().startsWith(BudgetWatchdog.PREFIX)) {
        return Optional.of(groups.root().resolve(rel));
      }
    }
    return Optional.empty();
  }
}
