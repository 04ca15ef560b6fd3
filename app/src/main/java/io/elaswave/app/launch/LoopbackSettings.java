package io.elaswave.app.launch;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * How to start the node JVMs of a {@link LoopbackCluster}: how many, the ranks each may host,
 * where their logs go, their heap and extra JVM options, the job ledger's journal (null: an H2
 * server in the launcher), how long to wait for them and for their stop, and who hears their
 * output. Built with {@link #of} and the {@code with...} methods.
 *
 * @param nodes node JVMs started at once (node-0 is the seed)
 * @param ranksPerNode ranks each node may host
 * @param logs directory of {@code node-<i>.log} (and of the H2 journal, when hosted)
 * @param maxHeap the nodes' {@code -Xmx}, e.g. {@code 1g}
 * @param extraJvmOptions after the standard options, e.g. {@code -Delaswave.snapshots=off}
 * @param journalUrl JDBC URL of the journal, or null to host an H2 server in this process
 * @param readyTimeout how long a batch of nodes may take to print its ready lines
 * @param stopGrace SIGTERM to SIGKILL when the cluster closes
 * @param listener {@code (node, line)} for every output line, on the children's pump threads
 * @param netns run each node in its own network namespace of a {@link NetworkLab} (root only),
 *     so that its link can be cut
 * @param budgets CPU budgets of the nodes ({@link BudgetGroups}: a control group each, root
 *     only); {@link NodeBudgets#NONE} by default
 * @param managementPorts node-i serves Pekko Management on this port + i; 0: none
 */
public record LoopbackSettings(int nodes, int ranksPerNode, Path logs, String maxHeap, List<String> extraJvmOptions,
    String journalUrl, Duration readyTimeout, Duration stopGrace, BiConsumer<String, String> listener, boolean netns,
    NodeBudgets budgets, int managementPorts) {
  /** The nodes' {@code -Xmx} unless a run asks for another. */
  public static final String DEFAULT_MAX_HEAP = "1g";

  /**
   * The options every node JVM gets before the heap and the extra ones. With transparent huge
   * pages the heap is on 2 MB pages where the kernel offers them: a SIGKILLed node's memory is
   * torn down in ~10 ms instead of ~100 ms, and only then does the kernel close its sockets — the
   * lifeline's end, i.e. the death's detection (measured, BENCHMARKS "Elasticity").
   */
  public static final List<String> BASE_JVM_OPTIONS = baseJvmOptions();

  private static List<String> baseJvmOptions() {
    List<String> options = new ArrayList<>(List.of("--add-modules", "jdk.incubator.vector", "-Xss4m",
        "-XX:+UseParallelGC", "-XX:MaxDirectMemorySize=256m"));
    if (Runtime.version().feature() >= 23) {
      options.add("--sun-misc-unsafe-memory-access=allow"); // Pekko's Unsafe use, warned about from JDK 23 on
    }
    try {
      String thp = java.nio.file.Files.readString(Path.of("/sys/kernel/mm/transparent_hugepage/enabled"));
      if (!thp.contains("[never]")) {
        options.add("-XX:+UseTransparentHugePages");
      }
    } catch (java.io.IOException e) {
      // no transparent huge pages on this system
    }
    return List.copyOf(options);
  }

  public LoopbackSettings {
    if (nodes < 1 || ranksPerNode < 1) {
      throw new IllegalArgumentException("nodes and ranksPerNode must be >= 1, got " + nodes + ", " + ranksPerNode);
    }
    Objects.requireNonNull(logs, "logs");
    Objects.requireNonNull(maxHeap, "maxHeap");
    youngMegabytes(maxHeap); // a heap the JVM cannot read fails here, not in every node
    extraJvmOptions = List.copyOf(extraJvmOptions);
    Objects.requireNonNull(readyTimeout, "readyTimeout");
    Objects.requireNonNull(stopGrace, "stopGrace");
    Objects.requireNonNull(listener, "listener");
    Objects.requireNonNull(budgets, "budgets");
    if (managementPorts < 0 || managementPorts > 65535) {
      throw new IllegalArgumentException("managementPorts must be a port or 0, got " + managementPorts);
    }
  }

  /** {@code nodes} nodes of {@code ranksPerNode}: logs in {@code runs/<time>/}, 1 GB heaps, H2 here, 60 s, 10 s. */
  public static LoopbackSettings of(int nodes, int ranksPerNode) {
    Path logs = Path.of("runs", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS")));
    return new LoopbackSettings(nodes, ranksPerNode, logs, DEFAULT_MAX_HEAP, List.of(), null, Duration.ofSeconds(60),
        Duration.ofSeconds(10), (node, line) -> { }, false, NodeBudgets.NONE, 0);
  }

  public LoopbackSettings withLogs(Path dir) {
    return new LoopbackSettings(nodes, ranksPerNode, dir, maxHeap, extraJvmOptions, journalUrl, readyTimeout,
        stopGrace, listener, netns, budgets, managementPorts);
  }

  public LoopbackSettings withMaxHeap(String heap) {
    return new LoopbackSettings(nodes, ranksPerNode, logs, heap, extraJvmOptions, journalUrl, readyTimeout,
        stopGrace, listener, netns, budgets, managementPorts);
  }

  /** These options after the extra ones already set. */
  public LoopbackSettings plusJvmOptions(List<String> options) {
    List<String> all = new java.util.ArrayList<>(extraJvmOptions);
    all.addAll(options);
    return withExtraJvmOptions(all);
  }

  public LoopbackSettings withExtraJvmOptions(List<String> options) {
    return new LoopbackSettings(nodes, ranksPerNode, logs, maxHeap, options, journalUrl, readyTimeout, stopGrace,
        listener, netns, budgets, managementPorts);
  }

  /** A JDBC URL of an existing journal; null hosts an H2 server in this process. */
  public LoopbackSettings withJournal(String url) {
    return new LoopbackSettings(nodes, ranksPerNode, logs, maxHeap, extraJvmOptions, url, readyTimeout, stopGrace,
        listener, netns, budgets, managementPorts);
  }

  public LoopbackSettings withReadyTimeout(Duration timeout) {
    return new LoopbackSettings(nodes, ranksPerNode, logs, maxHeap, extraJvmOptions, journalUrl, timeout, stopGrace,
        listener, netns, budgets, managementPorts);
  }

  public LoopbackSettings withStopGrace(Duration grace) {
    return new LoopbackSettings(nodes, ranksPerNode, logs, maxHeap, extraJvmOptions, journalUrl, readyTimeout, grace,
        listener, netns, budgets, managementPorts);
  }

  public LoopbackSettings withListener(BiConsumer<String, String> newListener) {
    return new LoopbackSettings(nodes, ranksPerNode, logs, maxHeap, extraJvmOptions, journalUrl, readyTimeout,
        stopGrace, newListener, netns, budgets, managementPorts);
  }

  /** Nodes in network namespaces (root only), so that {@link LoopbackCluster#partition} can cut their links. */
  public LoopbackSettings withNetns(boolean inNamespaces) {
    return new LoopbackSettings(nodes, ranksPerNode, logs, maxHeap, extraJvmOptions, journalUrl, readyTimeout,
        stopGrace, listener, inNamespaces, budgets, managementPorts);
  }

  /**
   * Pekko Management (cluster routes, /ready, /alive) on every node: node-i serves it on port
   * {@code first + i}; 0 (the default) serves none.
   */
  public LoopbackSettings withManagementPorts(int first) {
    return new LoopbackSettings(nodes, ranksPerNode, logs, maxHeap, extraJvmOptions, journalUrl, readyTimeout,
        stopGrace, listener, netns, budgets, first);
  }

  /** CPU budgets of the nodes (root only): each node JVM in its own control group, sized to it. */
  public LoopbackSettings withNodeBudgets(NodeBudgets nodeBudgets) {
    return new LoopbackSettings(nodes, ranksPerNode, logs, maxHeap, extraJvmOptions, journalUrl, readyTimeout,
        stopGrace, listener, netns, nodeBudgets, managementPorts);
  }

  /** {@link #withNodeBudgets} from cores by node name ({@code node-2}), for tests and benchmarks. */
  public LoopbackSettings withNodeCpus(Map<String, Double> cpus) {
    Map<String, CpuBudget> byNode = new LinkedHashMap<>();
    cpus.forEach((node, x) -> byNode.put(node, new CpuBudget(x)));
    return withNodeBudgets(new NodeBudgets(null, byNode));
  }

  /**
   * The JVM options of every node: the base ones, the heap, the extra ones, then the journal's
   * URL. The heap is fixed at its maximum with a young generation of 5/8 of it: a step of
   * {@code small} allocates ≈ 100 MB of activations and messages, and a small, resizing young
   * generation collected several times a step (measured under 0.4-core budgets: 90 ms of GC per
   * step, 30 ms with this).
   */
  List<String> jvmOptions(String journal) {
    List<String> jvm = new ArrayList<>(BASE_JVM_OPTIONS);
    jvm.add("-Xmx" + maxHeap);
    jvm.add("-Xms" + maxHeap);
    jvm.add("-Xmn" + youngMegabytes(maxHeap) + "m");
    jvm.addAll(extraJvmOptions);
    jvm.add("-Delaswave.journal.url=" + journal);
    return List.copyOf(jvm);
  }

  /** 5/8 of a heap size written as the JVM takes it ({@code 1g}, {@code 768m}, {@code 512k}, bytes), in MiB. */
  public static long youngMegabytes(String heap) {
    return Math.max(1, ByteSize.parse(heap) / 8 * 5 >> 20);
  }
}
