package io.elaswave.app.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A budgeted JVM's JIT compilers leave its budget; its other threads stay in it. */
@Timeout(120)
class HostThreadsTest {
  @TempDir Path dir;

  @Test
  void onlyHotSpotsCompilerThreadsAreTheHosts() {
    assertEquals(List.of(2L, 3L, 5L), HostThreads.compilers(Map.of(1L, "java", 2L, "C1 CompilerThre",
        3L, "C2 CompilerThre", 4L, "elaswave-pekko.", 5L, "C2 CompilerThread1", 6L, "GC Thread#0")).stream()
        .sorted().toList());
  }

  @Test
  void thisJvmsCompilerThreadsAreFoundByName() throws Exception {
    Map<Long, String> names = HostThreads.threadNames(Path.of("/proc/self/task"));
    assertTrue(names.size() > 3, names.toString());
    assertFalse(HostThreads.compilers(names).isEmpty(), "a JIT compiler among " + names.values());
  }

  @Test
  void aBudgetedChildsCompilersRunOutsideItsGroupAndTheRestInside() throws Exception {
    Assumptions.assumeTrue(NetworkLab.isRoot() && BudgetGroups.available(), "needs root for control groups");
    try (BudgetGroups budgets = BudgetGroups.open()) {
      Assumptions.assumeTrue(budgets.groups().version() == CpuGroups.Version.V1, "threads move on cgroup v1 only");
      NodeProcess child = NodeProcess.start(budgets.place(EchoNode.spec("jit", dir, "host-jit"), new CpuBudget(0.3)));
      try {
        child.awaitReady(Duration.ofSeconds(60));
        assertTrue(child.readyLine().orElse("").contains("outside the budget"), child.readyLine().toString());
        String group = "/" + budgets.group("jit").orElseThrow().getFileName();
        Map<Long, String> names = HostThreads.threadNames(Path.of("/proc/" + child.pid() + "/task"));
        List<Long> compilers = HostThreads.compilers(names);
        assertFalse(compilers.isEmpty(), names.toString());
        for (Map.Entry<Long, String> t : names.entrySet()) {
          Path cgroup = Path.of("/proc/" + child.pid() + "/task/" + t.getKey() + "/cgroup");
          if (!Files.exists(cgroup)) {
            continue; // a thread that has exited since
          }
          boolean inGroup = cpuGroup(cgroup).endsWith(group);
          assertEquals(!compilers.contains(t.getKey()), inGroup, t.getValue() + " in the budget group: " + inGroup);
        }
      } finally {
        child.destroyTreeForcibly();
      }
    }
  }

  /** The group path on a /proc/PID/task/TID/cgroup's cpu-controller line. */
  private static String cpuGroup(Path cgroup) throws Exception {
    for (String line : Files.readAllLines(cgroup)) {
      String[] parts = line.split(":", 3);
      if (List.of(parts[1].split(",")).contains("cpu")) {
        return parts[2];
      }
    }
    throw new AssertionError("no cpu line in " + cgroup);
  }
}
