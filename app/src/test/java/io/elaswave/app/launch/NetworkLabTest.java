package io.elaswave.app.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The network lab as root: namespaces, links, reach, partition, heal, and cleanup even after a SIGKILL. */
@Timeout(120)
class NetworkLabTest {
  private static final int PORT = 7411;
  @TempDir Path dir;

  @BeforeEach
  void needsRoot() {
    Assumptions.assumeTrue(NetworkLab.isRoot(), "needs root for network namespaces");
  }

  @Test
  void connectsNamespacesCutsOneOffHealsItAndRemovesEverything() throws Exception {
    long pid = ProcessHandle.current().pid();
    NetworkLab lab = NetworkLab.create();
    try (lab) {
      NetworkLab.Node a = lab.addNode(0);
      NetworkLab.Node b = lab.addNode(1);
      assertTrue(Ip.run("netns", "list").contains(a.namespace()));
      assertTrue(Ip.run("netns", "list").contains(b.namespace()));
      String links = Ip.run("-o", "link", "show");
      for (String name : List.of(lab.bridge(), a.hostLink(), b.hostLink())) {
        assertTrue(links.contains(" " + name), name + " in " + links);
      }
      assertTrue(Ip.run("-n", a.namespace(), "-o", "addr", "show").contains(a.address() + "/24"));
      assertEquals(List.of(a.namespace(), b.namespace(), lab.bridge(), a.hostLink(), b.hostLink()).stream().sorted()
          .toList(), lab.leftovers().stream().sorted().toList());

      NodeProcessSpec spec = NodeProcessSpec.of("listener", TcpProbe.class.getName(), dir.resolve("listener.log"))
          .withJvmOptions(EchoNode.FAST_JVM).withArgs("listen", a.address(), Integer.toString(PORT))
          .withCommandPrefix(a.exec());
      try (NodeProcess listener = NodeProcess.start(spec)) {
        listener.awaitReady(Duration.ofSeconds(30));
        // ip netns exec execs the command: the pid held is the JVM's, the one to signal
        assertEquals("java", Files.readString(Path.of("/proc/" + listener.pid() + "/comm")).trim());
        assertEquals(0, probe(b, a.address()), "b reaches a");

        long before = System.currentTimeMillis();
        assertTrue(lab.partition(0) >= before);
        assertNotEquals(0, probe(b, a.address()), "a is cut off");

        lab.heal(0);
        assertTrue(awaitReach(b, a.address(), Duration.ofSeconds(15)), "a is back");
      }
    }
    assertEquals(List.of(), LabNames.of(pid), "close removes every namespace and link");
  }

  @Test
  void aNewLabSweepsWhatDeadLaunchersLeft() throws Exception {
    long dead = 4_190_000;
    while (ProcessHandle.of(dead).isPresent()) {
      dead++;
    }
    Ip.run("netns", "add", LabNames.namespace(dead, 0));
    Ip.run("link", "add", LabNames.bridge(dead), "type", "bridge");
    assertEquals(2, LabNames.of(dead).size());
    try (NetworkLab lab = NetworkLab.create()) {
      assertEquals(List.of(), LabNames.of(dead), "swept");
      assertTrue(Ip.run("-o", "link", "show").contains(" " + lab.bridge() + ":"), "its own bridge stays");
    } finally {
      Ip.runQuietly("netns", "del", LabNames.namespace(dead, 0));
      Ip.runQuietly("link", "del", LabNames.bridge(dead));
    }
  }

  @Test
  void theWatchdogRemovesTheLabOfASigkilledLauncher() throws Exception {
    Process holder = HolderProcess.start(LabHolder.class);
    try {
      String line = HolderProcess.awaitLine(holder, "LAB ", "making its lab");
      long pid = Long.parseLong(line.substring(4).trim());
      assertEquals(holder.pid(), pid);
      assertEquals(5, LabNames.of(pid).size(), "two namespaces, bridge, two host links: " + LabNames.of(pid));

      holder.destroyForcibly(); // SIGKILL: no shutdown hook runs
      holder.waitFor();
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      List<String> left = LabNames.of(pid);
      while (!left.isEmpty() && System.nanoTime() < deadline) { // each look runs ip: a poll paced by it
        left = LabNames.of(pid);
      }
      assertEquals(List.of(), left, "the watchdog removed the dead launcher's lab");
    } finally {
      holder.destroyForcibly();
    }
  }

  /** Exit code of a one-second TCP connect from {@code from}'s namespace to {@code address}. */
  private static int probe(NetworkLab.Node from, String address) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(from.exec());
    command.add(JavaCommand.javaBinary());
    command.addAll(EchoNode.FAST_JVM);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), TcpProbe.class.getName(), "connect",
        address, Integer.toString(PORT)));
    Process p = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    return p.waitFor();
  }

  private static boolean awaitReach(NetworkLab.Node from, String address, Duration within)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    do {
      if (probe(from, address) == 0) {
        return true;
      }
    } while (System.nanoTime() < deadline);
    return false;
  }
}
