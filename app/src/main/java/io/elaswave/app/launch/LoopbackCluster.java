package io.elaswave.app.launch;

import io.elaswave.app.Main;
import io.elaswave.persistence.journal.H2JournalServer;
import io.elaswave.persistence.journal.JournalDatabase;
import io.elaswave.persistence.journal.JournalSchema;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one launcher of loopback node JVMs ({@code train --nodes}, the demo, the benchmarks and
 * the multi-node tests): free ports, node-0 is the seed, each node runs {@code elaswave node}
 * with the {@link LoopbackSettings}' JVM options and logs to {@code <logs>/node-<i>.log}; the job
 * ledger's journal is an H2 server hosted here (the one process never killed) unless the settings
 * name one. {@link #close()} stops every child, then the journal server.
 *
 * <p>With {@link LoopbackSettings#netns()} (root only) each node runs in its own namespace of a
 * {@link NetworkLab} at its own address instead, the driver binds to the lab's bridge
 * ({@link #driverHost()}), and the nodes reach the hosted journal through a relay on the bridge.
 * Node faults: {@link #freeze}/{@link #thaw} anywhere, {@link #partition}/{@link #heal} in a lab.
 *
 * <p>With {@link LoopbackSettings#budgets()} (root only) each budgeted node's JVM runs in its own
 * control group of {@link BudgetGroups}, sized to its budget once its ranks are spawned (it
 * boots with the whole machine, see {@link #adopt}); {@link #setBudget} rewrites one (the {@code slow} fault). A group goes when its node exits, and at {@link #close()} at the latest.
 */
public final class LoopbackCluster implements AutoCloseable {
  private final LoopbackSettings settings;
  private final LocalCluster cluster;
  private final String seed;
  private final String journalUrl;
  private final H2JournalServer journal;
  private final Network net;
  private final BudgetGroups budgets;

  /** The lab and the journal relay of a cluster in namespaces; both null on loopback. */
  private record Network(NetworkLab lab, TcpRelay relay) implements AutoCloseable {
    /** Makes node {@code index}'s place in the lab (once) and returns its address. */
    String host(int index) throws IOException {
      return lab == null ? LOOPBACK : lab.addNode(index).address();
    }

    NodeProcessSpec place(NodeProcessSpec spec, int index) {
      return lab == null ? spec : spec.withCommandPrefix(lab.node(index).exec());
    }

    @Override public void close() {
      try {
        if (relay != null) {
          relay.close();
        }
      } finally {
        if (lab != null) {
          lab.close();
        }
      }
    }
  }

  private static final String LOOPBACK = "127.0.0.1";

  private LoopbackCluster(LoopbackSettings settings, LocalCluster cluster, String seed, String journalUrl,
      H2JournalServer journal, Network net, BudgetGroups budgets) {
    this.settings = settings;
    this.cluster = cluster;
    this.seed = seed;
    this.journalUrl = journalUrl;
    this.journal = journal;
    this.net = net;
    this.budgets = budgets;
  }

  /** Starts the journal server (if hosted) and the nodes, and waits until every node is ready. */
  public static LoopbackCluster start(LoopbackSettings settings) throws IOException, InterruptedException {
    Files.createDirectories(settings.logs());
    H2JournalServer journal = null;
    LocalCluster cluster = null;
    Network net = new Network(null, null);
    BudgetGroups budgets = null;
    try {
      if (!settings.budgets().isEmpty()) {
        budgets = BudgetGroups.open();
      }
      if (settings.netns()) {
        net = new Network(NetworkLab.create(), null);
      }
      String url = settings.journalUrl();
      if (url == null) {
        journal = H2JournalServer.start(settings.logs().resolve("journal").toAbsolutePath());
        url = journal.jdbcUrl();
      }
      JournalSchema.createIfMissing(JournalDatabase.of(url));
      if (journal != null && net.lab() != null) { // the nodes reach the loopback-only H2 through the bridge
        TcpRelay relay = TcpRelay.start(net.lab().bridgeAddress(), journal.port());
        net = new Network(net.lab(), relay);
        url = url.replace("//" + LOOPBACK + ":" + journal.port() + "/",
            "//" + net.lab().bridgeAddress() + ":" + relay.port() + "/");
      }
      List<Integer> ports = FreePorts.pick(settings.nodes());
      List<String> hosts = new ArrayList<>();
      for (int i = 0; i < settings.nodes(); i++) {
        hosts.add(net.host(i));
      }
      String seed = hosts.get(0) + ":" + ports.get(0);
      List<String> jvm = settings.jvmOptions(url);
      List<NodeProcessSpec> specs = new ArrayList<>();
      for (int i = 0; i < settings.nodes(); i++) {
        specs.add(budgeted(settings, budgets, net.place(managed(settings, nodeSpec(i, hosts.get(i), ports.get(i), seed,
            settings.ranksPerNode(), settings.logs(), jvm), i), i)));
      }
      cluster = new LocalCluster(settings.readyTimeout(), settings.stopGrace(), settings.listener());
      // budgeted: a core's worth at a time (eight JVMs booting at once on two cores starve each other's heartbeats)
      BudgetGroups groups = budgets;
      cluster.startInBatches(specs, groups == null ? specs.size() : Runtime.getRuntime().availableProcessors(),
          node -> adopt(groups, node));
      return new LoopbackCluster(settings, cluster, seed, url, journal, net, budgets);
    } catch (SQLException e) {
      close(cluster, journal, net, budgets);
      throw new IOException("cannot start the journal server: " + e.getMessage(), e);
    } catch (IOException | InterruptedException | RuntimeException e) {
      close(cluster, journal, net, budgets);
      throw e;
    }
  }

  /** The spec of a node with a budget runs inside its own control group ({@link BudgetGroups#place}). */
  private static NodeProcessSpec budgeted(LoopbackSettings settings, BudgetGroups budgets, NodeProcessSpec spec)
      throws IOException {
    Optional<CpuBudget> budget = settings.budgets().of(spec.name());
    return budget.isEmpty() ? spec : budgets.place(spec, budget.get(), BOOT);
  }

  /** The quota a budgeted node boots under, until it is ready: the whole machine. */
  private static final CpuBudget BOOT = new CpuBudget(Runtime.getRuntime().availableProcessors());

  /**
   * A budgeted node must be in its group (else the run stops); the group goes when it exits. It
   * boots and joins on its boot quota; one with a cgroup clock (READY ... clock=cgroup) sets its
   * budget when its ranks are spawned ({@code FrequencyGovernor.enterJob}), any other gets it now
   * (at 0.2 cores from READY on, a cold JVM went unheard for up to 19.6 s and was downed).
   */
  private static void adopt(BudgetGroups budgets, NodeProcess node) throws IOException {
    if (budgets != null && budgets.group(node.name()).isPresent()) {
      budgets.adopt(node);
      if (!node.readyLine().orElse("").endsWith(" clock=" + CgroupClock.KIND)) {
        budgets.enforce(node.name()); // no clock of its own to take the budget with: it starts now
      }
    }
  }

  /**
   * The spec of node {@code node-<index>}: {@code elaswave node} on loopback at {@code port},
   * joining {@code seed}, hosting up to {@code ranks} ranks, logging to {@code logs/node-<index>.log}.
   */
  public static NodeProcessSpec nodeSpec(int index, int port, String seed, int ranks, Path logs,
      List<String> jvmOptions) {
    return nodeSpec(index, LOOPBACK, port, seed, ranks, logs, jvmOptions);
  }

  /** As above, bound to and advertising {@code host}. */
  public static NodeProcessSpec nodeSpec(int index, String host, int port, String seed, int ranks, Path logs,
      List<String> jvmOptions) {
    String name = "node-" + index;
    return NodeProcessSpec.of(name, Main.class.getName(), logs.resolve(name + ".log"))
        .withJvmOptions(jvmOptions)
        .withArgs("node", "--name", name, "--host", host, "--port", Integer.toString(port),
            "--seed", seed, "--ranks", Integer.toString(ranks));
  }

  /** With {@code --management-port} when the settings ask for Pekko Management on the nodes. */
  private static NodeProcessSpec managed(LoopbackSettings settings, NodeProcessSpec spec, int index) {
    return settings.managementPorts() == 0 ? spec : spec.withArgs(java.util.stream.Stream.concat(spec.args().stream(),
        java.util.stream.Stream.of("--management-port", Integer.toString(settings.managementPorts() + index))).toList());
  }

  /** Starts one more node ({@code node-<count>}, a free port, {@code ranks} ranks, {@code args} more) and waits until it is ready. */
  public NodeProcess addNode(int ranks, String... args) throws IOException, InterruptedException {
    int index = cluster.nodes().size();
    NodeProcessSpec spec = managed(settings, nodeSpec(index, net.host(index), FreePorts.pick(1).get(0), seed, ranks,
        settings.logs(), settings.jvmOptions(journalUrl)), index);
    spec = spec.withArgs(java.util.stream.Stream.concat(spec.args().stream(), java.util.Arrays.stream(args)).toList());
    NodeProcess node = cluster.start(budgeted(settings, budgets, net.place(spec, index)));
    node.awaitReady(settings.readyTimeout());
    try {
      adopt(budgets, node);
    } catch (IOException e) {
      cluster.kill(node.name());
      throw e;
    }
    return node;
  }

  /** Prints where the journal is and, for each node, its pid and log file. */
  public void describe(PrintWriter out) {
    out.println("job ledger journal: " + (hostsJournal() ? "H2 server on " + journalUrl.replaceAll(";.*", "")
        : JournalDatabase.of(journalUrl)));
    if (net.lab() != null) {
      out.println("network namespaces: " + net.lab());
    }
    if (budgets != null) {
      out.println("CPU budgets (emulated accelerators): " + settings.budgets().describe() + "; " + budgets);
    }
    cluster.nodes().values().forEach(n -> out.println("started " + n.name() + " (pid " + n.pid()
        + budget(n.name()).map(b -> ", " + b).orElse("") + "), log " + n.logFile()));
    out.flush();
  }

  /** The node started here at each {@code host:port} (the address it advertises), by that address. */
  public Map<String, String> nodeAddresses() {
    Map<String, String> out = new java.util.TreeMap<>();
    cluster.nodes().values().forEach(n -> {
      List<String> args = n.spec().args();
      int host = args.indexOf("--host");
      int port = args.indexOf("--port");
      if (host >= 0 && port >= 0) {
        out.put(args.get(host + 1) + ":" + args.get(port + 1), n.name());
      }
    });
    return out;
  }

  /** Node {@code name}'s CPU budget now, if it runs in a control group. */
  public Optional<CpuBudget> budget(String name) {
    return budgets == null ? Optional.empty() : budgets.budget(name);
  }

  /** The nodes' control groups, if any node has a budget. */
  public Optional<BudgetGroups> budgets() {
    return Optional.ofNullable(budgets);
  }

  /** Changes node {@code name}'s budget (its group's quota); returns the wall-clock instant (IllegalArgumentException: no budget). */
  public long setBudget(String name, CpuBudget budget) throws IOException {
    if (budgets == null) {
      throw new IllegalArgumentException(name + " has no CPU budget (--node-cpus)");
    }
    return budgets.setBudget(name, budget);
  }

  /** Where a driver member must bind so the nodes reach it: the lab's bridge, or loopback. */
  public String driverHost() {
    return net.lab() == null ? LOOPBACK : net.lab().bridgeAddress();
  }

  /** The lab the nodes run in, if any. */
  public Optional<NetworkLab> lab() {
    return Optional.ofNullable(net.lab());
  }

  /** SIGSTOPs node {@code name}'s JVM; returns the wall-clock instant. */
  public long freeze(String name) throws IOException {
    return cluster.freeze(name);
  }

  /** SIGCONTs node {@code name}'s JVM if frozen; returns the wall-clock instant. */
  public long thaw(String name) throws IOException {
    return cluster.thaw(name);
  }

  /** Cuts node {@code name}'s link; returns the wall-clock instant (IllegalStateException: no namespaces). */
  public long partition(String name) throws IOException {
    return requireLab().partition(index(name));
  }

  /** Brings node {@code name}'s link back; returns the wall-clock instant. */
  public long heal(String name) throws IOException {
    return requireLab().heal(index(name));
  }

  private NetworkLab requireLab() {
    if (net.lab() == null) {
      throw new IllegalStateException("partitions need the nodes in network namespaces (LoopbackSettings.withNetns)");
    }
    return net.lab();
  }

  private static int index(String name) {
    if (!name.matches("node-\\d+")) {
      throw new IllegalArgumentException("not a node name: " + name);
    }
    return Integer.parseInt(name.substring("node-".length()));
  }

  /** The seed node's address, {@code <host>:<port>}. */
  public String seed() {
    return seed;
  }

  public LoopbackSettings settings() {
    return settings;
  }

  /** The journal every node's scheduler ledger writes to. */
  public String journalUrl() {
    return journalUrl;
  }

  /** Whether the journal is the H2 server this launcher hosts. */
  public boolean hostsJournal() {
    return journal != null;
  }

  /** The child JVMs. */
  public LocalCluster processes() {
    return cluster;
  }

  public NodeProcess node(String name) {
    return cluster.node(name);
  }

  /** True when every node JVM started here has exited. */
  public boolean allExited() {
    return cluster.allExited();
  }

  @Override public void close() {
    close(cluster, journal, net, budgets);
  }

  /**
   * Children first (a frozen one is thawed so it can stop), then the journal, then the network,
   * then the control groups (only empty ones can go).
   */
  private static void close(LocalCluster cluster, H2JournalServer journal, Network net, BudgetGroups budgets) {
    try {
      if (cluster != null) {
        cluster.close();
      }
    } finally {
      try {
        if (journal != null) {
          journal.close();
        }
      } finally {
        try {
          net.close();
        } finally {
          if (budgets != null) {
            budgets.close();
          }
        }
      }
    }
  }
}
