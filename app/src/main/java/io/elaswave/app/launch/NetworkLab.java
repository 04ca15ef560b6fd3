package io.elaswave.app.launch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A private network for the node JVMs of one launcher (root only): a bridge in the root
 * namespace at {@code 10.213.X.1/24}, and per node a network namespace joined to the bridge by a
 * veth pair, the node at {@code 10.213.X.(10+i)}. X comes from this process's pid, moved on past
 * subnets another lab already uses. The driver binds to the bridge address; everything a node
 * talks to (other nodes, driver, journal relay) is behind its host-side veth end, so taking that
 * end down ({@link #partition}) cuts the node off while its JVM keeps running.
 *
 * <p>Everything is named {@code ew<pid>...} (see {@link LabNames}). {@link #close()} removes it,
 * so does a shutdown hook (Ctrl-C), a detached watchdog started here does once this process is
 * gone (a SIGKILL runs no hook), and every new lab first sweeps what dead launchers left.
 */
public final class NetworkLab implements AutoCloseable {
  /** One node's place in the lab. */
  public record Node(int index, String namespace, String hostLink, String address) {
    /** The command prefix that runs a program inside the node's namespace; {@code ip} execs it, same pid. */
    public List<String> exec() {
      return List.of("ip", "netns", "exec", namespace);
    }
  }

  private static final String NET = "10.213.";

  private final long pid;
  private final int subnet;
  private final String bridge;
  private final Map<Integer, Node> nodes = new LinkedHashMap<>();
  private final Process watchdog;
  private final Thread hook;
  private boolean closed;

  private NetworkLab(long pid, int subnet, Process watchdog) {
    this.pid = pid;
    this.subnet = subnet;
    this.bridge = LabNames.bridge(pid);
    this.watchdog = watchdog;
    this.hook = new Thread(this::removeAll, "elaswave-network-lab-cleanup");
  }

  /** Whether this process runs as root (uid 0), which namespaces and links need. */
  public static boolean isRoot() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) {
          return line.split("\\s+")[1].equals("0");
        }
      }
    } catch (IOException e) {
      // no /proc: not a Linux we can make namespaces on
    }
    return false;
  }

  /**
   * Sweeps leftovers of dead launchers, starts the watchdog, and creates the bridge.
   *
   * @throws IOException if not root, {@code ip} is missing, or a command fails (what was made is removed)
   */
  public static NetworkLab create() throws IOException {
    if (!isRoot()) {
      throw new IOException("network namespaces need root");
    }
    long pid = ProcessHandle.current().pid();
    LabNames.sweepDead();
    NetworkLab lab = new NetworkLab(pid, freeSubnet(pid), LabNames.startWatchdog(pid));
    Runtime.getRuntime().addShutdownHook(lab.hook);
    try {
      Ip.run("link", "add", lab.bridge, "type", "bridge");
      Ip.run("addr", "add", lab.bridgeAddress() + "/24", "dev", lab.bridge);
      Ip.run("link", "set", lab.bridge, "up");
      return lab;
    } catch (IOException | RuntimeException e) {
      lab.close();
      throw e;
    }
  }

  /** The bridge's address, where the driver and the journal relay listen. */
  public String bridgeAddress() {
    return NET + subnet + ".1";
  }

  public String bridge() {
    return bridge;
  }

  /** Creates node {@code index}'s namespace and link (up) and returns its place. */
  public synchronized Node addNode(int index) throws IOException {
    if (closed) {
      throw new IllegalStateException("the network lab is closed");
    }
    if (nodes.containsKey(index) || index < 0 || index > 240) {
      throw new IllegalArgumentException("node index " + index + " is taken or outside 0..240");
    }
    Node node = new Node(index, LabNames.namespace(pid, index), LabNames.hostLink(pid, index),
        NET + subnet + "." + (10 + index));
    String peer = LabNames.peerLink(pid, index);
    nodes.put(index, node); // before the commands, so that close() removes a half-made node too
    Ip.run("netns", "add", node.namespace());
    Ip.run("link", "add", node.hostLink(), "type", "veth", "peer", "name", peer);
    Ip.run("link", "set", peer, "netns", node.namespace());
    Ip.run("link", "set", node.hostLink(), "master", bridge);
    Ip.run("link", "set", node.hostLink(), "up");
    Ip.run("-n", node.namespace(), "addr", "add", node.address() + "/24", "dev", peer);
    Ip.run("-n", node.namespace(), "link", "set", peer, "up");
    Ip.run("-n", node.namespace(), "link", "set", "lo", "up");
    return node;
  }

  /** Node {@code index}'s place. @throws IllegalArgumentException if it was never added */
  public synchronized Node node(int index) {
    Node node = nodes.get(index);
    if (node == null) {
      throw new IllegalArgumentException("node " + index + " has no namespace in this lab");
    }
    return node;
  }

  /** Cuts node {@code index} off (its host-side link down); returns the wall-clock instant just before. */
  public long partition(int index) throws IOException {
    long at = System.currentTimeMillis();
    Ip.run("link", "set", node(index).hostLink(), "down");
    return at;
  }

  /** Brings node {@code index}'s link back up; returns the wall-clock instant just after. */
  public long heal(int index) throws IOException {
    Ip.run("link", "set", node(index).hostLink(), "up");
    return System.currentTimeMillis();
  }

  /** Names of everything this lab has made that still exists (namespaces, then links). */
  public List<String> leftovers() throws IOException {
    return LabNames.of(pid);
  }

  /** Deletes every namespace, link and the bridge, and stops the watchdog. Idempotent. */
  @Override public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    removeAll();
    watchdog.destroyForcibly(); // started here, by its own pid; nothing is left for it to remove
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is shutting down and the hook runs now or has run
    }
  }

  /** Deletes namespaces first (their veth peers go with them), then what links remain. */
  private void removeAll() {
    List<Node> made;
    synchronized (this) {
      made = new ArrayList<>(nodes.values());
    }
    for (Node node : made) {
      Ip.runQuietly("netns", "del", node.namespace());
      Ip.runQuietly("link", "del", node.hostLink());
    }
    Ip.runQuietly("link", "del", bridge);
  }

  /** A /24 no other lab's bridge has, starting from one derived from the pid. */
  private static int freeSubnet(long pid) throws IOException {
    String used = Ip.run("-o", "-4", "addr", "show");
    int start = (int) (pid % 254) + 1;
    for (int i = 0; i < 254; i++) {
      int x = (start - 1 + i) % 254 + 1;
      if (!used.contains(" " + NET + x + ".")) {
        return x;
      }
    }
    throw new IOException("every subnet " + NET + "1..254.0/24 is in use on this machine");
  }

  @Override public String toString() {
    return "bridge " + bridge + " " + bridgeAddress() + "/24, namespaces " + LabNames.namespace(pid, 0).replaceAll(
        "0$", "<i>") + " at " + NET + subnet + ".(10+i)";
  }
}
