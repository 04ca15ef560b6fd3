package io.elaswave.app.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** SIGSTOP and SIGCONT of a child JVM, and a close that ends a frozen child cleanly. */
@Timeout(60)
class NodeFreezeTest {
  @TempDir Path dir;

  @Test
  void freezesThawsAndClosesAFrozenChildWithItsShutdownHooks() throws Exception {
    Heard heard = new Heard();
    LocalCluster cluster = new LocalCluster(Duration.ofSeconds(30), Duration.ofSeconds(5),
        (node, line) -> heard.accept(line));
    NodeProcess node;
    try (cluster) {
      node = cluster.startAll(List.of(EchoNode.spec("node-1", dir, "ready", "0"))).get(0);

      long before = System.currentTimeMillis();
      long at = cluster.freeze("node-1");
      assertTrue(at >= before && node.isFrozen());
      assertEquals(at, node.frozenAtMillis().orElseThrow());
      awaitState(node.pid(), true);

      cluster.thaw("node-1");
      awaitState(node.pid(), false);
      assertFalse(node.isFrozen());
      node.send("echo thawed");
      heard.await("ECHO thawed", Duration.ofSeconds(10)); // it runs again

      cluster.freeze("node-1"); // and stays frozen into close()
      awaitState(node.pid(), true);
    }
    assertTrue(cluster.allExited());
    assertEquals(OptionalInt.of(143), node.exitCode(), "SIGTERM after SIGCONT, not SIGKILL after the grace");
    assertTrue(Files.readAllLines(node.logFile()).contains("BYE"), "its shutdown hook ran");
  }

  /** Waits (bounded) until the process is, or is no longer, stopped: field 3 of /proc/pid/stat is 'T'. */
  private static void awaitState(long pid, boolean stopped) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    String state;
    do {
      state = state(pid);
      if (state.equals("T") == stopped) {
        return;
      }
      Thread.onSpinWait();
    } while (System.nanoTime() < deadline);
    throw new AssertionError("process " + pid + " is in state " + state + ", expected " + (stopped ? "T" : "not T"));
  }

  static String state(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    return stat.substring(stat.lastIndexOf(')') + 2).split(" ")[0];
  }
}
