package io.elaswave.app.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class LocalClusterTest {
  @TempDir Path dir;

  @Test
  void startsKillsRestartsAndClosesWithoutOrphans() throws Exception {
    List<Integer> ports = FreePorts.pick(2);
    Heard heard = new Heard();
    NodeProcessSpec stubborn = EchoNode.spec("node-1", dir, "stubborn", ports.get(0).toString());
    NodeProcessSpec plain = EchoNode.spec("node-2", dir, "ready", ports.get(1).toString());
    LocalCluster cluster =
        new LocalCluster(
            Duration.ofSeconds(30),
            Duration.ofSeconds(1),
            (node, line) -> heard.accept("[" + node + "] " + line));
    try (cluster) {
      cluster.startAll(List.of(stubborn, plain));

      assertEquals(List.of("node-1", "node-2"), List.copyOf(cluster.nodes().keySet()));
      String ready1 = cluster.node("node-1").readyLine().orElseThrow();
      assertTrue(ready1.contains(":" + ports.get(0) + " "), ready1);
      heard.await("[node-2] READY 127.0.0.1:" + ports.get(1), Duration.ofSeconds(5));
      assertThrows(IllegalStateException.class, () -> cluster.start(stubborn));

      NodeProcess killed = cluster.node("node-2");
      assertEquals(137, cluster.kill("node-2"));
      assertFalse(killed.toHandle().isAlive());
      assertFalse(cluster.allExited());

      NodeProcess restarted = cluster.start(plain); // same name and port: a new incarnation
      assertNotEquals(killed.pid(), restarted.pid());
      assertEquals(restarted, cluster.node("node-2"));
    }

    assertTrue(cluster.allExited());
    assertEquals(OptionalInt.of(137), cluster.node("node-1").exitCode(), "SIGKILL after the grace");
    assertEquals(OptionalInt.of(143), cluster.node("node-2").exitCode(), "SIGTERM was enough");
    assertTrue(Files.readAllLines(cluster.node("node-2").logFile()).contains("BYE"));
    cluster.close();
    assertThrows(IllegalStateException.class, () -> cluster.start(plain));
  }

  @Test
  void aChildDyingDuringStartFailsFastAndLeavesNoChild() throws Exception {
    List<NodeProcessSpec> specs =
        List.of(EchoNode.spec("node-1", dir, "silent"), EchoNode.spec("node-2", dir, "die", "5"));

    // node-1 never becomes ready; only failing on node-2's death ends this within the @Timeout.
    NodeNotReadyException e =
        assertThrows(
            NodeNotReadyException.class,
            () -> LocalCluster.start(specs, Duration.ofMinutes(5), (node, line) -> {}));

    assertEquals("node-2", e.node());
    assertTrue(e.getMessage().contains("exited with code 5"), e.getMessage());
    assertTrue(e.getMessage().contains("fatal: boom"), e.getMessage());
    assertEquals(0, ProcessHandle.current().children().filter(ProcessHandle::isAlive).count());
  }

  @Test
  void shutdownHookKillsChildrenWhenTheLauncherCrashes() throws Exception {
    Path grandchildLog = dir.resolve("grandchild.log");
    try (NodeProcess launcher =
        NodeProcess.start(EchoNode.spec("launcher", dir, "crash", grandchildLog.toString()))) {
      // The launcher prints READY and throws at once; awaitReady still returns the line it printed.
      String ready = launcher.awaitReady(Duration.ofSeconds(40));
      ProcessHandle grandchild =
          ProcessHandle.of(Long.parseLong(ready.substring("READY grandchild=".length())))
              .orElseThrow();
      try {
        assertEquals(1, launcher.onExit().get(10, TimeUnit.SECONDS), "uncaught exception");
        grandchild.onExit().get(10, TimeUnit.SECONDS);
        assertFalse(grandchild.isAlive(), "an unguarded grandchild only dies by the hook");
      } finally {
        grandchild.destroyForcibly(); // only matters if the hook failed: leave no orphan
      }
    }
  }
}
