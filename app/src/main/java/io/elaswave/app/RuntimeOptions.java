package io.elaswave.app;

import io.elaswave.app.launch.LoopbackSettings;
import io.elaswave.app.launch.NodeBudgets;
import io.elaswave.protocol.fault.Fault;
import java.util.ArrayList;
import java.util.List;

/**
 * How to run the distributed runtime: the parallel shape (dp × pp ranks), and where the ranks
 * live — in this JVM ({@code nodes == 1}), in {@code nodes} JVMs started here on loopback, or on
 * an existing cluster reached through the seed {@code cluster} (host:port), advertising
 * {@code host}; the fault script, steps before which one more node JVM is started, the job
 * ledger's journal for local nodes (null: an H2 server in this process) and extra JVM options of
 * local node JVMs, and whether those run in network namespaces ({@code netns}, root only; on by
 * itself for a partition fault), and their CPU budgets ({@code budgets}: emulated accelerators, root only);
 * {@code rankMemory} caps what one rank may hold (0: from the heap, see {@link RankMemory});
 * {@code policy} names the recovery policy ({@code elaswave}, or a baseline: torchft, recycle, restart);
 * {@code frequency} is the clock governor's mode ({@code off}, {@code energy}, {@code power-cap=W});
 * {@code joinsWait}: a joining node is waited for before its step (else it boots in the background
 * and enters at the first step boundary once warm, see {@link JoinLauncher});
 * {@code nodeHeap} is the local node JVMs' heap in bytes (0: {@link LoopbackSettings#DEFAULT_MAX_HEAP});
 * {@code tls} the directory of the cluster's certificates for mutual TLS (null: plain TCP);
 * {@code managementPorts} the port of node-0's Pekko Management, node-i's being it + i (0: none).
 * Built with {@link #builder}; fault targets and budgets are checked against the job by {@link JobCheck}.
 */
public record RuntimeOptions(int dp, int pp, int nodes, int ranksPerNode, String cluster, String host,
    List<Fault> faults, List<Long> joinAt, String journal, List<String> nodeJvmOptions, boolean netns,
    NodeBudgets budgets, long rankMemory, String policy, String frequency, boolean joinsWait, long nodeHeap,
    java.nio.file.Path tls, int managementPorts) {
  public RuntimeOptions {
    java.util.Objects.requireNonNull(budgets, "budgets");
    faults = List.copyOf(faults);
    joinAt = List.copyOf(joinAt);
    nodeJvmOptions = List.copyOf(nodeJvmOptions);
    if (!joinAt.isEmpty() && (cluster != null || nodes < 2)) {
      throw new IllegalArgumentException("--join starts node JVMs here: it needs --nodes 2 or more");
    }
    if (journal != null && !journal.startsWith("jdbc:")) {
      throw new IllegalArgumentException("--journal takes a JDBC URL (jdbc:postgresql://… or jdbc:h2:…), got '"
          + journal + "'");
    }
    if (joinAt.stream().anyMatch(s -> s < 1)) {
      throw new IllegalArgumentException("--join step must be >= 1");
    }
    if (dp < 1 || pp < 1) {
      throw new IllegalArgumentException("--dp and --pp must be >= 1");
    }
    if (nodes < 1) {
      throw new IllegalArgumentException("--nodes must be >= 1");
    }
    try {
      io.elaswave.planner.recovery.RecoveryPolicies.named(policy);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--policy: " + e.getMessage());
    }
    io.elaswave.planner.frequency.FrequencyMode.parse(frequency, io.elaswave.planner.frequency.FrequencyMode
        .DEFAULT_TOLERANCE); // a one-line error naming --frequency
    if (rankMemory < 0) {
      throw new IllegalArgumentException("--rank-memory must be > 0 bytes");
    }
    if (nodeHeap < 0) {
      throw new IllegalArgumentException("--node-heap must be > 0 bytes");
    }
    if (ranksPerNode < 1) {
      throw new IllegalArgumentException("--ranks-per-node must be >= 1");
    }
    if (managementPorts < 0 || managementPorts + Math.max(nodes, 1) + joinAt.size() > 65536) {
      throw new IllegalArgumentException("--http-port leaves no room for the nodes' management ports");
    }
    if (cluster != null && !cluster.matches("[^:]+:\\d{1,5}")) {
      throw new IllegalArgumentException("--cluster must be HOST:PORT, got '" + cluster + "'");
    }
  }

  /** dp × pp ranks in this JVM, no faults; the builder's setters change the rest. */
  public static Builder builder(int dp, int pp) {
    return new Builder(dp, pp);
  }

  /** Ranks per node when not given: dp·pp spread evenly over the nodes. */
  static int defaultRanksPerNode(int dp, int pp, int nodes) {
    return (dp * pp + nodes - 1) / nodes;
  }

  /** The same run with local node JVMs of {@code bytes} of heap. */
  /** Pekko Management on the local nodes: node-i on port {@code first + i}. */
  RuntimeOptions withManagementPorts(int first) {
    return new RuntimeOptions(dp, pp, nodes, ranksPerNode, cluster, host, faults, joinAt, journal, nodeJvmOptions,
        netns, budgets, rankMemory, policy, frequency, joinsWait, nodeHeap, tls, first);
  }

  RuntimeOptions withNodeHeap(long bytes) {
    return new RuntimeOptions(dp, pp, nodes, ranksPerNode, cluster, host, faults, joinAt, journal, nodeJvmOptions,
        netns, budgets, rankMemory, policy, frequency, joinsWait, bytes, tls,
        managementPorts);
  }

  /** The same run over mutual TLS with the certificates in {@code dir}. */
  RuntimeOptions withTls(java.nio.file.Path dir) {
    return new RuntimeOptions(dp, pp, nodes, ranksPerNode, cluster, host, faults, joinAt, journal, nodeJvmOptions,
        netns, budgets, rankMemory, policy, frequency, joinsWait, nodeHeap, dir,
        managementPorts);
  }

  /** The local node JVMs' heap in bytes. */
  long effectiveNodeHeap() {
    return nodeHeap > 0 ? nodeHeap : io.elaswave.app.launch.ByteSize.parse(LoopbackSettings.DEFAULT_MAX_HEAP);
  }

  /** The bytes one rank may hold: {@code --rank-memory}, or the default from the heap. */
  long effectiveRankMemory() {
    return rankMemory > 0 ? rankMemory : RankMemory.defaultFor(this);
  }

  /** Whether the nodes are started here (or this JVM is the node), rather than an existing cluster. */
  boolean local() {
    return cluster == null;
  }

  /** The node faults of the fault script (kill, freeze, partition, slow). */
  List<Fault.NodeFault> nodeFaults() {
    return faults.stream().filter(Fault.NodeFault.class::isInstance).map(Fault.NodeFault.class::cast).toList();
  }

  /** Whether the local node JVMs run in network namespaces: asked for, or needed by a partition fault. */
  boolean inNamespaces() {
    return netns || faults.stream().anyMatch(Fault.Partition.class::isInstance);
  }

  /** The rank faults of the fault script. */
  List<Fault.RankFault> rankFaults() {
    return faults.stream().filter(Fault.RankFault.class::isInstance).map(Fault.RankFault.class::cast).toList();
  }

  /** Builds {@link RuntimeOptions}; ranks per node default to dp·pp spread over the nodes. */
  public static final class Builder {
    private final int dp;
    private final int pp;
    private int nodes = 1;
    private Integer ranksPerNode;
    private String cluster;
    private String host = "127.0.0.1";
    private final List<Fault> faults = new ArrayList<>();
    private final List<Long> joinAt = new ArrayList<>();
    private String journal;
    private final List<String> nodeJvmOptions = new ArrayList<>();
    private boolean netns;
    private NodeBudgets budgets = NodeBudgets.NONE;
    private long rankMemory;
    private String policy = "elaswave";
    private String frequency = "off";
    private boolean joinsWait;
    private long nodeHeap;

    private Builder(int dp, int pp) {
      this.dp = dp;
      this.pp = pp;
    }

    /** Node JVMs: 1 runs every rank in this JVM, N > 1 starts N on loopback. */
    public Builder nodes(int n) {
      this.nodes = n;
      return this;
    }

    public Builder ranksPerNode(int k) {
      this.ranksPerNode = k;
      return this;
    }

    /** Drive an existing cluster through this seed (host:port), advertising {@code advertised}. */
    public Builder cluster(String seed, String advertised) {
      this.cluster = seed;
      this.host = advertised;
      return this;
    }

    public Builder fault(Fault f) {
      faults.add(f);
      return this;
    }

    public Builder faults(List<? extends Fault> fs) {
      faults.addAll(fs);
      return this;
    }

    /** Start one more node JVM when step {@code step} is due. */
    public Builder joinAt(long step) {
      joinAt.add(step);
      return this;
    }

    public Builder journal(String url) {
      this.journal = url;
      return this;
    }

    /** Extra JVM options of the node JVMs started here, e.g. {@code -Delaswave.snapshots=off}. */
    public Builder nodeJvmOptions(List<String> options) {
      nodeJvmOptions.addAll(options);
      return this;
    }

    /** Run the local node JVMs in network namespaces (root only) even without a partition fault. */
    public Builder netns(boolean inNamespaces) {
      this.netns = inNamespaces;
      return this;
    }

    /** CPU budgets of the node JVMs started here (root only: a control group each). */
    public Builder budgets(NodeBudgets nodeBudgets) {
      this.budgets = nodeBudgets;
      return this;
    }

    /** Bytes one rank may hold (0: from the heap). */
    public Builder rankMemory(long bytes) {
      this.rankMemory = bytes;
      return this;
    }

    /** The recovery policy by name (default elaswave). */
    public Builder policy(String name) {
      this.policy = name;
      return this;
    }

    /** The frequency mode: off (default), energy or power-cap=W. */
    public Builder frequency(String mode) {
      this.frequency = mode;
      return this;
    }

    /** Wait for a joining node before the step it is asked for (default: it boots in the background). */
    public Builder joinsWait(boolean wait) {
      this.joinsWait = wait;
      return this;
    }

    /** The local node JVMs' heap in bytes (default {@link LoopbackSettings#DEFAULT_MAX_HEAP}). */
    public Builder nodeHeap(long bytes) {
      this.nodeHeap = bytes;
      return this;
    }

    /** @throws IllegalArgumentException naming the flag of a bad value */
    public RuntimeOptions build() {
      int k = ranksPerNode != null ? ranksPerNode
          : defaultRanksPerNode(Math.max(dp, 1), Math.max(pp, 1), Math.max(nodes, 1));
      return new RuntimeOptions(dp, pp, nodes, k, cluster, host, faults, joinAt, journal, nodeJvmOptions, netns,
          budgets, rankMemory, policy, frequency, joinsWait, nodeHeap, null, 0);
    }
  }
}
