package io.elaswave.multinode;

import com.typesafe.config.Config;
import io.elaswave.actors.client.JobClient;
import io.elaswave.actors.node.NodeSystem;
import io.elaswave.app.launch.LoopbackCluster;
import io.elaswave.app.launch.LoopbackSettings;
import io.elaswave.app.launch.NodeProcess;
import io.elaswave.planner.NodeId;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * N node JVMs on loopback (started by the app's {@link LoopbackCluster}, which also hosts the
 * ledger's H2 journal in this JVM, the one no scenario kills) plus a driver in this JVM. With
 * {@code settings(...).withNetns(true)} (root only) the nodes run in network namespaces and the
 * driver binds to the lab's bridge, so that {@link #partition} can cut a node off.
 */
public final class ClusterHarness implements AutoCloseable {
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

  private final LoopbackCluster cluster;
  private final ActorSystem<?> driver;
  private final JobClient client;

  private ClusterHarness(LoopbackCluster cluster, ActorSystem<?> driver) {
    this.cluster = cluster;
    this.driver = driver;
    this.client = new JobClient(driver);
  }

  /**
   * The settings of the scenarios' nodes: 768 MB heaps, 90 s to be ready, 5 s to stop, and the
   * client compiler only — a third less CPU for short runs of several JVMs on two cores; the
   * bits do not depend on the JIT tier (the engine's kernel tests check that across tiers).
   */
  public static LoopbackSettings settings(int nodes, int ranksPerNode, Path logs) {
    return LoopbackSettings.of(nodes, ranksPerNode).withLogs(logs).withMaxHeap("768m")
        .withExtraJvmOptions(List.of("-XX:TieredStopAtLevel=1"))
        .withReadyTimeout(READY_TIMEOUT).withStopGrace(Duration.ofSeconds(5));
  }

  /**
   * Starts {@code nodes} node JVMs with room for {@code ranksPerNode} ranks each (node-0 is the
   * seed), logging to {@code logs}, and a driver member here configured by {@code driverConfig}.
   */
  public static ClusterHarness start(int nodes, int ranksPerNode, Path logs, Config driverConfig)
      throws IOException, InterruptedException {
    return start(settings(nodes, ranksPerNode, logs), driverConfig);
  }

  /** As above, with any settings (e.g. extra JVM options for the nodes). */
  public static ClusterHarness start(LoopbackSettings settings, Config driverConfig)
      throws IOException, InterruptedException {
    LoopbackCluster cluster = LoopbackCluster.start(settings);
    try {
      ActorSystem<?> driver = NodeSystem.start(new NodeSystem.Settings("driver", cluster.driverHost(), 0,
          List.of(cluster.seed()), 0, Set.of(NodeSystem.DRIVER_ROLE)), driverConfig);
      return new ClusterHarness(cluster, driver);
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  /** Starts one more node JVM, waits until the scheduler hears from it, and returns its name. */
  public String addNode(int ranksPerNode) throws IOException, InterruptedException {
    return addNode(ranksPerNode, new String[0]);
  }

  /** As {@link #addNode(int)}, the node started with these {@code elaswave node} arguments (e.g. --warm-model). */
  public String addNode(int ranksPerNode, String... nodeArgs) throws IOException, InterruptedException {
    NodeProcess node = cluster.addNode(ranksPerNode, nodeArgs);
    client.awaitNode(NodeId.of(node.name()));
    return node.name();
  }

  /** SIGSTOPs the node's JVM; returns the wall-clock instant. */
  public long freeze(String node) throws IOException {
    return cluster.freeze(node);
  }

  /** SIGCONTs the node's JVM if frozen; returns the wall-clock instant. */
  public long thaw(String node) throws IOException {
    return cluster.thaw(node);
  }

  /** Cuts the node's link (nodes in namespaces only); returns the wall-clock instant. */
  public long partition(String node) throws IOException {
    return cluster.partition(node);
  }

  /** Brings the node's link back; returns the wall-clock instant. */
  public long heal(String node) throws IOException {
    return cluster.heal(node);
  }

  /** The launcher of the node JVMs (its lab, if in namespaces). */
  public LoopbackCluster cluster() {
    return cluster;
  }

  /** The driver's actor system, a member of the cluster. */
  public ActorSystem<?> driver() {
    return driver;
  }

  public JobClient client() {
    return client;
  }

  public NodeProcess node(String name) {
    return cluster.node(name);
  }

  /** The JDBC URL of the job ledger's journal (the H2 server this harness hosts, unless given). */
  public String journalUrl() {
    return cluster.journalUrl();
  }

  /** True when every node JVM this harness started has exited. */
  public boolean allExited() {
    return cluster.allExited();
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
  }
}
