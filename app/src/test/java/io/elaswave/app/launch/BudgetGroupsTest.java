package io.elaswave.app.launch;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** CPU budgets as root: a child held to its quota, a quota rewritten, and groups removed after every kind of end. */
@Timeout(120)
class BudgetGroupsTest {
  @TempDir Path dir;

  @BeforeEach
  void needsRoot() {
    Assumptions.assumeTrue(NetworkLab.isRoot() && BudgetGroups.available(), "needs root for control groups");
  }

  @Test
  void aBusyChildIsHeldToItsBudgetAndItsGroupGoesWhenItIsKilled() throws Exception {
    try (BudgetGroups budgets = BudgetGroups.open()) {
      NodeProcess child = NodeProcess.start(budgets.place(EchoNode.spec("spin", dir, "spin"), new CpuBudget(0.3)));
      try {
        child.awaitReady(Duration.ofSeconds(60));
        CompletableFuture<Boolean> removed = budgets.adopt(child);
        Path group = budgets.group("spin").orElseThrow();
        CpuGroups groups = budgets.groups();
        assertTrue(Files.isDirectory(group), group.toString());
        assertEquals(Optional.of(0.3), groups.cpus(group), "the quota asked for");
        assertEquals(List.of(child.pid()), groups.pids(group));
        assertTrue(Files.readString(Path.of("/proc/" + child.pid() + "/cgroup")).contains(
            "/" + group.getFileName() + "\n"), "the JVM itself, not a wrapper, is in the group");
        assertTrue(child.command().contains("-XX:ActiveProcessorCount=1"), child.command().toString());

        long cpu0 = cpuNanos(child);
        long t0 = System.nanoTime();
        assertThrows(TimeoutException.class, () -> child.onExit().get(3, SECONDS), "it keeps spinning");
        double cores = (double) (cpuNanos(child) - cpu0) / (System.nanoTime() - t0);
        assertTrue(cores > 0.05 && cores < 0.5, "two spinning threads under 0.3 cores used " + cores + " cores");
        assertTrue(groups.throttledPeriods(group) > 0, "the kernel throttled the group");

        child.kill(); // SIGKILL: the group goes when the exit is seen
        assertTrue(removed.get(10, SECONDS), "the group is removed once its node is gone");
        assertFalse(Files.exists(group));
      } finally {
        child.destroyTreeForcibly();
      }
      assertEquals(List.of(), budgets.leftovers());
    }
  }

  @Test
  void aNewBudgetTakesEffectInTheRunningGroup() throws Exception {
    try (BudgetGroups budgets = BudgetGroups.open()) {
      NodeProcess child = NodeProcess.start(budgets.place(EchoNode.spec("node-1", dir, "ready"), new CpuBudget(0.4)));
      try {
        child.awaitReady(Duration.ofSeconds(60));
        CompletableFuture<Boolean> removed = budgets.adopt(child);
        Path group = budgets.group("node-1").orElseThrow();
        assertEquals(Optional.of(0.4), budgets.groups().cpus(group));

        long before = System.currentTimeMillis();
        assertTrue(budgets.setBudget("node-1", new CpuBudget(0.13)) >= before);
        assertEquals(Optional.of(0.13), budgets.groups().cpus(group));
        assertEquals(budgets.groups().version() == CpuGroups.Version.V2 ? "1300 10000" : "1300",
            Files.readString(group.resolve(budgets.groups().version() == CpuGroups.Version.V2 ? "cpu.max"
                : "cpu.cfs_quota_us")).trim(), "the kernel's file shows the new quota");
        assertEquals(Optional.of(new CpuBudget(0.13)), budgets.budget("node-1"));
        assertEquals(List.of(child.pid()), budgets.groups().pids(group), "the node stays in its group");

        child.kill();
        assertTrue(removed.get(10, SECONDS));
      } finally {
        child.destroyTreeForcibly();
      }
    }
  }

  @Test
  void aNewRunSweepsGroupsOfDeadLaunchers() throws Exception {
    long dead = 4_190_000;
    while (ProcessHandle.of(dead).isPresent()) {
      dead++;
    }
    CpuGroups groups = CpuGroups.detect();
    Path left = groups.create(BudgetWatchdog.name(Long.toString(dead), "node-0"), new CpuBudget(0.5));
    try (BudgetGroups budgets = BudgetGroups.open()) {
      assertFalse(Files.exists(left), "swept");
    } finally {
      groups.remove(left, Duration.ZERO);
    }
  }

  @Test
  void theWatchdogRemovesTheGroupsOfASigkilledLauncher() throws Exception {
    Process holder = HolderProcess.start(BudgetHolder.class, dir.toString());
    try {
      String line = HolderProcess.awaitLine(holder, "GROUP ", "placing its child");
      String[] parts = line.split(" ");
      Path group = Path.of(parts[1]);
      long watchdog = Long.parseLong(parts[2]);
      long child = Long.parseLong(parts[3]);
      assertTrue(Files.isDirectory(group));
      assertTrue(group.getFileName().toString().startsWith("elaswave-" + holder.pid() + "-"), group.toString());

      holder.destroyForcibly(); // SIGKILL: no shutdown hook runs
      holder.waitFor();
      // the child halts by itself (its stdin closed); the watchdog then removes the group and exits
      for (long pid : new long[] {child, watchdog}) {
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isPresent()) {
          process.get().onExit().get(15, SECONDS);
        }
      }
      assertFalse(Files.exists(group), "the watchdog removed the dead launcher's group");
    } finally {
      holder.destroyForcibly();
    }
  }

  private static long cpuNanos(NodeProcess p) {
    return p.toHandle().info().totalCpuDuration().orElseThrow().toNanos();
  }
}
