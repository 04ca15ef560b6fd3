package io.elaswave.multinode;

import com.typesafe.config.Config;
import io.elaswave.actors.client.JobClient;
import io.elaswave.actors.node.NodeSystem;
import io.elaswave.app.Main;
import io.elaswave.app.launch.FreePorts;
import io.elaswave.app.launch.LocalCluster;
import io.elaswave.app.launch.NodeProcess;
import io.elaswave.app.launch.NodeProcessSpec;
import io.elaswave.persistence.journal.H2JournalServer;
import io.elaswave.persistence.journal.JournalSchema;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;

/** N node JVMs on loopback plus a driver in this JVM. */
public final class ClusterHarness implements AutoCloseable {
  private static final List<String> NODE_JVM_OPTIONS = List.of("--add-modules", "jdk.incubator.vector", "-Xss4m",
      "-Xmx768m", "-XX:+UseParallelGC", "-XX:MaxDirectMemorySize=256m");
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

  private final LocalCluster cluster;
  private final ActorSystem<?> driver;
  private final JobClient client;
  private final List<Long> pids = new ArrayList<>();
  private final String seed;
  private final Path logs;
  private final H2JournalServer journal;

  private ClusterHarness(LocalCluster cluster, ActorSystem<?> driver, String seed, Path logs, H2JournalServer journal) {
    this.cluster = cluster;
    this.driver = driver;
    this.seed = seed;
    this.logs = logs;
    this.journal = journal;
    this.client = new JobClient(driver);
    cluster.nodes().values().forEach(n -> pids.add(n.pid()));
  }

  /**
   * Starts {@code nodes} node JVMs with room for {@code ranksPerNode} ranks each (node-0 is the
   * seed), logging to {@code logs}, and a driver member here configured by {@code driverConfig}.
   */
  public static ClusterHarness start(int nodes, int ranksPerNode, Path logs, Config driverConfig)
      throws IOException, InterruptedException {
    List<Integer> ports = FreePorts.pick(nodes);
    String seed = "127.0.0.1:" + ports.get(0);
    H2JournalServer journal;
    try { // the ledger's journal lives in this JVM, which no scenario kills
      journal = H2JournalServer.start(logs.resolve("journal").toAbsolutePath());
      JournalSchema.createIfMissing(journal.database());
    } catch (java.sql.SQLException e) {
      throw new IOException("cannot start the journal server: " + e.getMessage(), e);
    }
    String journalUrl = journal.jdbcUrl();
    List<NodeProcessSpec> specs = new ArrayList<>();
    for (int i = 0; i < nodes; i++) {
      specs.add(spec(i, ports.get(i), seed, ranksPerNode, logs, journalUrl));
    }
    LocalCluster cluster = new LocalCluster(READY_TIMEOUT, Duration.ofSeconds(5), (node, line) -> { });
    try {
      cluster.startAll(specs);
      ActorSystem<?> driver = NodeSystem.start(new NodeSystem.Settings("driver", "127.0.0.1", 0, List.of(seed), 0,
          Set.of(NodeSystem.DRIVER_ROLE)), driverConfig);
      return new ClusterHarness(cluster, driver, seed, logs, journal);
    } catch (IOException | InterruptedException | RuntimeException e) {
      cluster.close();
      journal.close();
      throw e;
    }
  }

  private static NodeProcessSpec spec(int index, int port, String seed, int ranksPerNode, Path logs,
      String journalUrl) {
    String name = "node-" + index;
    List<String> jvm = new ArrayList<>(NODE_JVM_OPTIONS);
    jvm.add("-Delaswave.journal.url=" + journalUrl);
    return NodeProcessSpec.of(name, Main.class.getName(), logs.resolve(name + ".log"))
        .withJvmOptions(jvm)
        .withArgs("node", "--name", name, "--host", "127.0.0.1", "--port", Integer.toString(port),
            "--seed", seed, "--ranks", Integer.toString(ranksPerNode));
  }

  /** Starts one more node JVM, waits until the scheduler hears from it, and returns its name. */
  public String addNode(int ranksPerNode) throws IOException, InterruptedException {
    int index = cluster.nodes().size();
    NodeProcess node = cluster.start(spec(index, FreePorts.pick(1).get(0), seed, ranksPerNode, logs,
        journal.jdbcUrl()));
    node.awaitReady(READY_TIMEOUT);
    pids.add(node.pid());
    client.awaitNode(io.elaswave.planner.NodeId.of(node.name()));
    return node.name();
  }

  public JobClient client() {
    return client;
  }

  public NodeProcess node(String name) {
    return cluster.node(name);
  }

  /** True when every node JVM this harness started has exited. */
  public boolean allExited() {
    return pids.stream().noneMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
  }

  @Override public void close() {
    try {
      client.stop();
    } catch (RuntimeException e) {
      // no job, or the cluster is gone: nothing to stop
    }
    driver.terminate();
    try {
      driver.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      // the children are stopped below whatever the driver's state
    }
    cluster.close();
    journal.close();
  }
}
