package io.elaswave.app.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.elaswave.actors.node.CpufreqClock;
import io.elaswave.planner.frequency.ClockRange;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The governors of a node's clock: the control-group budget sets and reads back the quota (and
 * follows a slow fault that moved it), cpufreq writes every policy's limit (on a sysfs tree made
 * here: this machine has none), and a node finds its own group from /proc/self/cgroup.
 */
class GovernorsTest {
  @Test
  void theCgroupClockSetsAndReadsBackTheQuota() throws IOException {
    Assumptions.assumeTrue(NetworkLab.isRoot() && BudgetGroups.available(), "needs root for control groups");
    CpuGroups groups = CpuGroups.detect();
    Path group = groups.create(BudgetWatchdog.name(ProcessHandle.current().pid() + ".clock", "node-t"),
        new CpuBudget(0.4));
    try {
      groups.setBudget(group, new CpuBudget(2)); // a node boots under the whole machine's quota
      CgroupClock clock = new CgroupClock(groups, group, 0.4, new ClockRange(0.3, 1.5), 2);
      assertEquals(1.0, clock.clock(), 1e-9, "nominal until the first set, whatever the boot quota");
      groups.setBudget(group, new CpuBudget(0.4)); // the launcher enforces the budget once the node is ready
      assertEquals(0.5, clock.set(0.5), 1e-9);
      assertEquals(0.2, groups.cpus(group).orElseThrow(), 1e-9, "clock 0.5 of 0.4 cores is 0.2 cores");
      assertEquals(1.25, clock.set(1.25), 1e-9);
      assertEquals(0.5, groups.cpus(group).orElseThrow(), 1e-9, "a boost clock above the nominal budget");
      assertEquals(0.3, clock.set(0.01), 1e-9, "clamped to the range");
      assertEquals(1.5, clock.set(9), 1e-9, "clamped to the range");
      // a slow fault rewrites the quota to 0.3 cores: that is the node's nominal speed from then on
      groups.setBudget(group, new CpuBudget(0.3));
      assertEquals(0.5, clock.set(0.5), 1e-9);
      assertEquals(0.3, clock.nominalCpus(), 1e-9);
      assertEquals(0.15, groups.cpus(group).orElseThrow(), 1e-9);
    } finally {
      assertTrue(groups.remove(group, Duration.ofSeconds(5)));
    }
  }

  @Test
  void aJoinerKeepsItsBootQuotaUntilItsRanksAreSpawned() throws IOException {
    Assumptions.assumeTrue(NetworkLab.isRoot() && BudgetGroups.available(), "needs root for control groups");
    CpuGroups groups = CpuGroups.detect();
    Path group = groups.create(BudgetWatchdog.name(ProcessHandle.current().pid() + ".enter", "node-j"),
        new CpuBudget(2)); // booted (warmed, joined the cluster) under the whole machine
    try {
      CgroupClock clock = new CgroupClock(groups, group, 0.2, new ClockRange(0.3, 1.5), 2);
      assertEquals(2.0, groups.cpus(group).orElseThrow(), 1e-9, "nothing is written before the ranks spawn");
      clock.enterJob();
      assertEquals(0.2, groups.cpus(group).orElseThrow(), 1e-9, "spawned: the budget, at clock 1");
      assertEquals(0.5, clock.set(0.5), 1e-9);
      clock.enterJob(); // ranks spawned again (a later re-plan): the clock stays as set
      assertEquals(0.1, groups.cpus(group).orElseThrow(), 1e-9);
    } finally {
      assertTrue(groups.remove(group, Duration.ofSeconds(5)));
    }
  }

  @Test
  void theCgroupClocksRangeStopsAtTheMachineAndTheKernelsLeastQuota() {
    CgroupClock clock = new CgroupClock(null, Path.of("/nonexistent"), 1.5, new ClockRange(0.001, 3), 2);
    assertEquals(new ClockRange(io.elaswave.protocol.fault.FaultParser.MIN_CPUS / 1.5, 2 / 1.5), clock.range());
  }

  @Test
  void cpufreqSetsEveryPolicysLimitAndReadsItBack(@TempDir Path sysfs) throws IOException {
    // a hybrid machine: the efficiency cores' policy has a lower maximum
    String[][] policies = {{"policy0", "800000", "3600000"}, {"policy2", "800000", "2000000"}};
    for (String[] p : policies) {
      Path dir = Files.createDirectories(sysfs.resolve(p[0]));
      Files.writeString(dir.resolve("cpuinfo_min_freq"), p[1] + "\n");
      Files.writeString(dir.resolve("cpuinfo_max_freq"), p[2] + "\n");
      Files.writeString(dir.resolve("scaling_max_freq"), p[2] + "\n");
    }
    Files.createDirectories(sysfs.resolve("boost-not-a-policy"));
    CpufreqClock clock = CpufreqClock.detect(sysfs).orElseThrow();
    assertEquals("cpufreq", clock.kind());
    assertEquals(new ClockRange(0.4, 1), clock.range(), "down to the highest minimum over its maximum; no boost");
    assertEquals(1.0, clock.clock(), 1e-9);
    assertEquals(0.5, clock.set(0.5), 1e-9);
    assertEquals("1800000", Files.readString(sysfs.resolve("policy0/scaling_max_freq")).trim());
    assertEquals("1000000", Files.readString(sysfs.resolve("policy2/scaling_max_freq")).trim(),
        "each policy at the same fraction of its own maximum");
    assertEquals(0.4, clock.set(0.1), 1e-9, "clamped to the range");
    clock.restore();
    assertEquals("3600000", Files.readString(sysfs.resolve("policy0/scaling_max_freq")).trim(), "restored on exit");
    assertEquals("2000000", Files.readString(sysfs.resolve("policy2/scaling_max_freq")).trim());
  }

  @Test
  void noCpufreqWhereTheFilesAreMissingOrReadOnly(@TempDir Path sysfs) throws IOException {
    assertEquals(Optional.empty(), CpufreqClock.detect(sysfs.resolve("missing")));
    assertEquals(Optional.empty(), CpufreqClock.detect(sysfs), "no policy directories");
    Path p = Files.createDirectories(sysfs.resolve("policy0"));
    Files.writeString(p.resolve("cpuinfo_min_freq"), "800000\n");
    Files.writeString(p.resolve("cpuinfo_max_freq"), "garbage\n");
    Files.writeString(p.resolve("scaling_max_freq"), "3600000\n");
    assertEquals(Optional.empty(), CpufreqClock.detect(sysfs), "an unreadable range is no governor");
  }

  @Test
  void aGovernorIsChosenByConfigAndAnUnknownChoiceIsRefusedInOneLine() {
    assertEquals("fixed", Governors.detect("fixed", Optional.of(0.4), new ClockRange(0.3, 1.5)).kind());
    assertEquals("fixed", Governors.detect("auto", Optional.empty(), new ClockRange(0.3, 1.5)).kind(),
        "this test JVM runs in no budget group of ours");
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> Governors.detect("turbo", Optional.empty(), new ClockRange(0.3, 1.5)));
    assertEquals("elaswave.frequency.governor = turbo: expected auto, cpufreq or fixed", e.getMessage());
    assertTrue(Governors.machineCores() >= Runtime.getRuntime().availableProcessors());
  }

  @Test
  void aNodeFindsItsOwnGroupInProcSelfCgroup() {
    CpuGroups v1 = new CpuGroups(CpuGroups.Version.V1, Path.of("/sys/fs/cgroup/cpu"));
    assertEquals(Optional.of(Path.of("/sys/fs/cgroup/cpu/elaswave-12-node-1")), Governors.ownGroup(v1, List.of(
        "4:memory:/other", "2:cpu,cpuacct:/elaswave-12-node-1", "0::/")));
    assertEquals(Optional.empty(), Governors.ownGroup(v1, List.of("2:cpu,cpuacct:/", "0::/elaswave-12-node-1")),
        "the root group, and v2's line on a v1 machine, are not ours");
    assertEquals(Optional.empty(), Governors.ownGroup(v1, List.of("2:cpu:/user.slice")), "a group not made by us");
    CpuGroups v2 = new CpuGroups(CpuGroups.Version.V2, Path.of("/sys/fs/cgroup"));
    assertEquals(Optional.of(Path.of("/sys/fs/cgroup/elaswave-12-node-1")), Governors.ownGroup(v2, List.of(
        "0::/elaswave-12-node-1")));
  }
}
