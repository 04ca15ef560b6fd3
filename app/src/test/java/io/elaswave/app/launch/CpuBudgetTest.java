package io.elaswave.app.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Budgets as text, quotas and JVM sizes, and finding the cpu controller in a mount table; no root needed. */
class CpuBudgetTest {
  @Test
  void aBudgetIsAQuotaPerPeriodAndSizesTheJvm() {
    CpuBudget b = CpuBudget.parse("0.4", "--node-cpus '0.4'", 2);
    assertEquals(4_000, b.quotaMicros());
    assertEquals(10_000, b.periodMicros());
    assertEquals(1, b.processors());
    assertEquals(List.of("-XX:ActiveProcessorCount=1", "-Delaswave.node.cpus=0.4", "-XX:ParallelGCThreads=1", "-XX:CICompilerCount=2",
        "-Delaswave.step-deadline.probe-timeout=7500ms", "-Delaswave.step-deadline.floor=7500ms",
        "-Delaswave.step-deadline.first-steps=75000ms",
        "-Dpekko.cluster.failure-detector.acceptable-heartbeat-pause=10000ms"), b.jvmOptions(),
        "deadlines stretched by 1 / 0.4");
    assertEquals("0.4", b.text());
    assertEquals(List.of("-XX:ActiveProcessorCount=2", "-Delaswave.node.cpus=1.5"), new CpuBudget(1.5).jvmOptions(),
        "the nominal budget rides along for the node's clock governor");
    assertEquals("1", CpuBudget.parse("1.0", "x", 2).text());
    assertEquals(1000, CpuBudget.parse(".01", "x", 2).quotaMicros());
    assertEquals(100_000, CpuBudget.parse(".01", "x", 2).periodMicros());
    assertEquals(1000, CpuBudget.parse("0.05", "x", 2).quotaMicros());
    assertEquals(20_000, CpuBudget.parse("0.05", "x", 2).periodMicros());
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "0.0", "-0.4", "abc", "", "1e-1", "0.009", "3", "2.01", "0,4", "0.4x"})
  void refusesBadBudgetsInOneLineNamingTheFlag(String bad) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> CpuBudget.parse(bad, "--node-cpus '" + bad + "'", 2));
    assertTrue(e.getMessage().startsWith("--node-cpus '" + bad + "': ") && !e.getMessage().contains("\n"),
        e.getMessage());
  }

  @Test
  void moreThanTheMachineHasIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> CpuBudget.parse("3", "--cpus '3'", 2));
    assertEquals("--cpus '3': more than this machine's 2 cores", e.getMessage());
  }

  @Test
  void nodeBudgetsHaveADefaultAndOverrides() {
    NodeBudgets b = NodeBudgets.parse(List.of("0.4", "node-2=0.2", "3=1"), "--node-cpus", 4);
    assertEquals(Optional.of(new CpuBudget(0.4)), b.of("node-0"));
    assertEquals(Optional.of(new CpuBudget(0.2)), b.of("node-2"));
    assertEquals(Optional.of(new CpuBudget(1)), b.of("node-3"));
    assertEquals("0.4 cpus each, node-2 0.2, node-3 1", b.describe());

    NodeBudgets one = NodeBudgets.parse(List.of("node-1=0.3"), "--node-cpus", 2);
    assertEquals(Optional.empty(), one.of("node-0"), "the others run unlimited");
    assertEquals(Map.of("node-1", new CpuBudget(0.3)), one.byNode());
    assertTrue(NodeBudgets.parse(List.of(), "--node-cpus", 2).isEmpty());
    assertFalse(one.isEmpty());
  }

  @ParameterizedTest
  @ValueSource(strings = {"node-x=0.2", "=0.2", "node-1=", "node-1=0", "node-1=-1", "node-1=9", "n1=0.2"})
  void refusesBadNodeBudgetsInOneLine(String bad) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> NodeBudgets.parse(List.of(bad), "--node-cpus", 2));
    assertTrue(e.getMessage().startsWith("--node-cpus '" + bad + "': ") && !e.getMessage().contains("\n"),
        e.getMessage());
  }

  @Test
  void findsTheCpuControllerInV1AndV2MountTables() {
    List<String> hybrid = List.of(
        "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755",
        "33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct",
        "32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu",
        "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw");
    CpuGroups v1 = CpuGroups.find(hybrid, p -> "hugetlb\n").orElseThrow();
    assertEquals(CpuGroups.Version.V1, v1.version());
    assertEquals(Path.of("/sys/fs/cgroup/cpu"), v1.root());
    assertEquals(Path.of("/sys/fs/cgroup/cpu/elaswave-12-node-0"), v1.group("elaswave-12-node-0"));

    CpuGroups joint = CpuGroups.find(List.of(
        "26 20 0:23 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid shared:9 - cgroup cgroup rw,cpu,cpuacct"), p -> "")
        .orElseThrow();
    assertEquals(Path.of("/sys/fs/cgroup/cpu,cpuacct"), joint.root());

    List<String> unified = List.of(
        "30 23 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate");
    CpuGroups v2 = CpuGroups.find(unified, p -> p.equals(Path.of("/sys/fs/cgroup/cgroup.controllers"))
        ? "cpuset cpu io memory pids\n" : "").orElseThrow();
    assertEquals(CpuGroups.Version.V2, v2.version());
    assertEquals(Path.of("/sys/fs/cgroup"), v2.root());

    assertEquals(Optional.empty(), CpuGroups.find(unified, p -> "cpuset io memory\n").map(CpuGroups::root),
        "v2 without the cpu controller");
    assertEquals(Optional.empty(), CpuGroups.find(hybrid.subList(0, 2), p -> "").map(CpuGroups::root),
        "cpuacct is not cpu");
  }

  @Test
  void groupNamesCarryTheLaunchersPid() {
    assertEquals("elaswave-1234-node-2", BudgetWatchdog.name("1234", "node-2"));
    assertEquals("elaswave-1234.2-10.0.0.1_25520", BudgetWatchdog.name("1234.2", "10.0.0.1:25520"));
    assertEquals(1234, BudgetWatchdog.pidOf("elaswave-1234-node-2"));
    assertEquals(1234, BudgetWatchdog.pidOf("elaswave-1234.2-node-2"));
    assertEquals(-1, BudgetWatchdog.pidOf("elaswave-x-node-2"));
    assertEquals(-1, BudgetWatchdog.pidOf("system.slice"));
  }
}
