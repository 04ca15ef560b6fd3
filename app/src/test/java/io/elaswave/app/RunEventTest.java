package io.elaswave.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.elaswave.app.launch.LoopbackCluster;
import io.elaswave.app.launch.LoopbackSettings;
import io.elaswave.app.launch.NodeProcessSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Typed run events keep the metrics file's keys (plus atMillis); the launcher's settings build the JVM flags. */
class RunEventTest {
  @Test
  void recoveredKeepsItsKeysAndGainsTheCause() {
    RunEvent e = new RunEvent.Recovered(42, 5, "rank-error", "[]", "[r1]", "dp2xpp1@epoch2", 5, 100.0, 250.0, 600.0);
    Map<String, String> f = Cli.fields(e.json().toString());
    assertEquals(List.of("event", "step", "cause", "nodes", "ranks", "layout", "abandonedStep", "detectMillis",
        "mttrMillis", "redoneMillis", "atMillis"), List.copyOf(f.keySet()));
    assertEquals("\"recovered\"", f.get("event"));
    assertEquals("\"rank-error\"", f.get("cause"));
    assertEquals("250.0", f.get("mttrMillis"));
    assertEquals("42", f.get("atMillis"));
    assertTrue(e.describe().startsWith("recovered step=5 cause=rank-error nodes=[] ranks=[r1]"), e.describe());
  }

  @Test
  void faultInjectedAndNodeKilled() {
    assertEquals("{\"event\":\"fault-injected\",\"fault\":\"hang:r2@5\",\"step\":5,\"atMillis\":7}",
        new RunEvent.FaultInjected(7, "hang:r2@5", 5).json().toString());
    assertEquals("node-killed node=node-2 pid=123 step=8", new RunEvent.NodeKilled(7, "node-2", 123, 8).describe());
  }

  @Test
  void nodeStartedCarriesItsBudgetWhenItHasOne() {
    assertEquals("{\"event\":\"node-started\",\"node\":\"node-1\",\"pid\":9,\"step\":1,\"cpus\":0.4,"
        + "\"atMillis\":7}", new RunEvent.NodeStarted(7, "node-1", 9, 1, 0.4).json().toString());
    assertEquals("node-started node=node-3 pid=9 step=6", new RunEvent.NodeStarted(7, "node-3", 9, 6, 0).describe());
  }

  @Test
  void budgetedSettingsKeepTheirBudgets() {
    LoopbackSettings s = LoopbackSettings.of(3, 1).withNodeCpus(Map.of("node-2", 0.2)).withMaxHeap("512m");
    assertEquals(0.2, s.budgets().of("node-2").orElseThrow().cpus());
    assertTrue(s.budgets().of("node-0").isEmpty());
    assertTrue(LoopbackSettings.of(3, 1).budgets().isEmpty());
  }

  @Test
  void loopbackSettingsBuildTheNodeJvmOptions() {
    LoopbackSettings s = LoopbackSettings.of(3, 2).withMaxHeap("768m")
        .withExtraJvmOptions(List.of("-Delaswave.snapshots=off"));
    List<String> jvm = s.withJournal("jdbc:h2:mem:x").extraJvmOptions();
    assertEquals(List.of("-Delaswave.snapshots=off"), jvm);
    assertEquals(3, s.nodes());
    assertEquals(2, s.ranksPerNode());
    assertTrue(LoopbackSettings.BASE_JVM_OPTIONS.containsAll(List.of("--add-modules", "jdk.incubator.vector")));
    assertEquals(640, LoopbackSettings.youngMegabytes("1g"));
    assertEquals(480, LoopbackSettings.youngMegabytes("768m"));
    NodeProcessSpec spec = LoopbackCluster.nodeSpec(1, 25521, "127.0.0.1:25520", 2, Path.of("logs"), List.of("-Xmx1g"));
    assertEquals("node-1", spec.name());
    assertEquals(Main.class.getName(), spec.mainClass());
    assertEquals(List.of("node", "--name", "node-1", "--host", "127.0.0.1", "--port", "25521", "--seed",
        "127.0.0.1:25520", "--ranks", "2"), spec.args());
    assertEquals(List.of("-Xmx1g"), spec.jvmOptions());
    assertEquals(Path.of("logs", "node-1.log"), spec.logFile());
  }
}
