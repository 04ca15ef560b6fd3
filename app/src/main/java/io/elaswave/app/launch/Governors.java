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
 * Which governor a node JVM's clock has: the CPU budget of the control group it runs in (an
 * emulated accelerator: the launcher passes the nominal budget as {@code -Delaswave.node.cpus},
 * {@code elaswave node --cpus} knows its own), else Linux cpufreq where its files are writable,
 * else none ("fixed"). A GPU governor would be chosen here first (see {@link FrequencyGovernor}).
 */
public final class Governors {
  /** The system property a launched node's nominal budget comes in. */
  public static final String NOMINAL_CPUS = "elaswave.node.cpus";

  private Governors() {}

  /** The governor of this JVM; {@code budget} is its own budget when it set one (node --cpus). */
  public static FrequencyGovernor detect(Optional<Double> budget, ClockRange range) {
    Optional<Double> nominal = budget.or(() -> Optional.ofNullable(System.getProperty(NOMINAL_CPUS))
        .map(Double::parseDouble));
    if (nominal.isPresent()) {
      try {
        CpuGroups groups = CpuGroups.detect();
        Optional<Path> own = ownGroup(groups, Files.readAllLines(Path.of("/proc/self/cgroup")));
        if (own.isPresent()) {
          return new CgroupClock(groups, own.get(), nominal.get(), range, Runtime.getRuntime().availableProcessors());
        }
      } catch (IOException | RuntimeException e) {
        // no control group to govern: fall through to cpufreq or fixed
      }
    }
    return CpufreqClock.detect(CpufreqClock.SYSFS).<FrequencyGovernor>map(c -> c).orElse(FixedClock.INSTANCE);
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
