package io.elaswave.app;

import com.typesafe.config.ConfigFactory;
import io.elaswave.actors.node.NodeSystem;
import io.elaswave.actors.node.NodeTls;
import io.elaswave.actors.scheduler.SchedulerSingleton;
import io.elaswave.app.launch.LoopbackCluster;
import io.elaswave.app.launch.LoopbackSettings;
import io.elaswave.app.observe.NodeManagement;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * Brings up what a runtime job runs on: the driver's actor system joined to an existing cluster,
 * or one JVM that is node-0 and driver at once, or local node JVMs and the driver beside them.
 * What it started is stopped again if a later part fails.
 */
final class DriverNodes {
  /** The driver's actor system, the local node JVMs (null: none) and where the job runs, in words. */
  record Up(ActorSystem<?> system, LoopbackCluster cluster, String where) {}

  private DriverNodes() {}

  /** Node JVMs' warnings and start lines go to {@code out}. */
  static Up bringUp(RuntimeOptions options, PrintWriter out) {
    LoopbackCluster cluster = null;
    ActorSystem<?> system = null;
    try {
      String where;
      if (!options.local()) {
        system = NodeSystem.start(driverSettings(options.host(), options.cluster()), tls(options));
        where = "the cluster at " + options.cluster();
      } else if (options.nodes() == 1) {
        system = NodeSystem.start(new NodeSystem.Settings("node-0", "127.0.0.1", 0, List.of(),
            Math.max(options.ranksPerNode(), options.dp() * options.pp()),
            Set.of(SchedulerSingleton.WORKER_ROLE, NodeSystem.DRIVER_ROLE)), options.managementPorts() == 0
            ? tls(options) : tls(options).withFallback(NodeManagement.config("127.0.0.1", options.managementPorts())));
        if (options.managementPorts() != 0) { // node-0 is this JVM: it serves node-0's management port
          NodeManagement.start(system);
        }
        where = "this JVM";
      } else {
        cluster = launch(options, out);
        system = NodeSystem.start(driverSettings(cluster.driverHost(), cluster.seed()),
            options.budgets().driverConfig().withFallback(tls(options)));
        where = options.nodes() + " node JVMs" + (options.budgets().isEmpty() ? ""
            : " (emulated accelerators: " + options.budgets().describe() + ")");
      }
      return new Up(system, cluster, where);
    } catch (RuntimeException e) {
      RuntimeDriver.shutdown(system, cluster);
      throw e;
    }
  }

  private static LoopbackCluster launch(RuntimeOptions options, PrintWriter out) {
    LoopbackSettings settings = LoopbackSettings.of(options.nodes(), options.ranksPerNode())
        .withMaxHeap((options.effectiveNodeHeap() >> 20) + "m")
        .withNodeBudgets(options.budgets())
        .withExtraJvmOptions(options.tls() == null ? options.nodeJvmOptions() : Stream.concat(
            options.nodeJvmOptions().stream(), Stream.of("-D" + NodeTls.DIR_SETTING + "=" + options.tls().toAbsolutePath()))
            .toList())
        .withJournal(options.journal())
        .withListener(warningsTo(out))
        .withNetns(options.inNamespaces())
        .withManagementPorts(options.managementPorts());
    try {
      LoopbackCluster cluster = LoopbackCluster.start(settings);
      cluster.describe(out);
      return cluster;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start node JVMs: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting node JVMs", e);
    }
  }

  private static com.typesafe.config.Config tls(RuntimeOptions options) {
    return options.tls() == null ? ConfigFactory.empty() : NodeTls.using(options.tls());
  }

  private static NodeSystem.Settings driverSettings(String host, String seed) {
    return new NodeSystem.Settings("driver", host, 0, List.of(seed), 0, Set.of(NodeSystem.DRIVER_ROLE));
  }

  /**
   * A listener that echoes the nodes' errors and the runtime's own warnings to {@code out}, each
   * with the node's name (Pekko's warnings stay in the logs).
   */
  private static java.util.function.BiConsumer<String, String> warningsTo(PrintWriter out) {
    return (node, line) -> {
      if (line.contains(" ERROR ") || line.startsWith("Exception")
          || (line.contains(" WARN ") && (line.contains(" i.e.") || line.contains("io.elaswave")))) {
        synchronized (out) {
          out.println("[" + node + "] " + line);
          out.flush();
        }
      }
    };
  }
}
