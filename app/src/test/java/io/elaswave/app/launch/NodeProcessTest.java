package io.elaswave.app.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

@Timeout(30)
class NodeProcessTest {
  private static final Duration READY = Duration.ofSeconds(20);

  @TempDir Path dir;

  @Test
  void readyLineReachesCallerListenerAndLogAndStopRunsShutdownHooks() throws Exception {
    Heard heard = new Heard();
    NodeProcess node = NodeProcess.start(EchoNode.spec("node-1", dir, "ready"), heard);
    String ready;
    try (node) {
      ready = node.awaitReady(READY);

      assertTrue(ready.matches("READY 127\\.0\\.0\\.1:\\d+ pid=" + node.pid()), ready);
      assertEquals(ready, node.readyLine().orElseThrow());
      assertEquals(ready, heard.await("READY", READY));

      node.send("echo hello");
      assertEquals("ECHO hello", heard.await("ECHO", READY));

      assertEquals(143, node.stop(Duration.ofSeconds(10)), "SIGTERM");
    }
    assertTrue(node.killedAtNanos().isEmpty());
    List<String> log = Files.readAllLines(node.logFile());
    assertTrue(log.containsAll(List.of(ready, "ECHO hello", "BYE")), log.toString());
  }

  @Test
  void killIsSigkillAndLeavesNoProcess() throws Exception {
    NodeProcess node = NodeProcess.start(EchoNode.spec("node-1", dir, "ready"));
    try (node) {
      node.awaitReady(READY);
      long before = System.nanoTime();

      int code = node.kill();

      assertEquals(137, code);
      assertEquals(OptionalInt.of(137), node.exitCode());
      assertFalse(node.isAlive());
      assertFalse(ProcessHandle.of(node.pid()).map(ProcessHandle::isAlive).orElse(false));
      long killedAt = node.killedAtNanos().orElseThrow();
      assertTrue(killedAt - before >= 0 && System.nanoTime() - killedAt >= 0);
    }
    assertFalse(Files.readAllLines(node.logFile()).contains("BYE"), "no hook runs on SIGKILL");
  }

  @Test
  void childThatDiesBeforeReadyGivesItsExitCodeAndOutput() throws Exception {
    try (NodeProcess node = NodeProcess.start(EchoNode.spec("node-7", dir, "die", "7"))) {
      NodeNotReadyException e =
          assertThrows(NodeNotReadyException.class, () -> node.awaitReady(READY));

      assertEquals("node-7", e.node());
      assertTrue(e.getMessage().contains("exited with code 7"), e.getMessage());
      assertTrue(e.getMessage().contains("| fatal: boom"), e.getMessage());
      List<String> lines = e.lastLines();
      assertTrue(lines.containsAll(List.of("starting", "fatal: boom")), lines::toString);
    }
  }

  @Test
  void silentChildTimesOutAndCloseEndsIt() throws Exception {
    NodeProcess node = NodeProcess.start(EchoNode.spec("node-1", dir, "silent"));
    try (node) {
      NodeNotReadyException e =
          assertThrows(NodeNotReadyException.class, () -> node.awaitReady(Duration.ofMillis(800)));

      assertTrue(e.getMessage().contains("not ready within 800 ms"), e.getMessage());
      assertTrue(node.isAlive());
    }
    assertFalse(node.toHandle().isAlive());
  }

  @Test
  void closingStdinMakesTheGuardedChildHaltOnItsOwn() throws Exception {
    NodeProcess node = NodeProcess.start(EchoNode.spec("node-1", dir, "ready"));
    try (node) {
      node.awaitReady(READY);

      node.closeStdin();

      assertEquals(ChildGuard.ORPHANED_EXIT_CODE, node.onExit().get(10, TimeUnit.SECONDS));
    }
    List<String> log = Files.readAllLines(node.logFile());
    assertTrue(
        log.stream().anyMatch(line -> line.startsWith("ChildGuard: stdin reached end-of-file")),
        log.toString());
  }
}
