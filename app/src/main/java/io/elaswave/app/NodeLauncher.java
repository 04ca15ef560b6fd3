package io.elaswave.app;

import io.elaswave.app.launch.FreePorts;
import io.elaswave.app.launch.LocalCluster;
import io.elaswave.app.launch.NodeProcessSpec;
import io.elaswave.persistence.journal.H2JournalServer;
import io.elaswave.persistence.journal.JournalDatabase;
import io.elaswave.persistence.journal.JournalSchema;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts the node JVMs of a local multi-JVM run on loopback: free ports, the first node is the
 * seed, each node logs to {@code runs/<time>/node-<i>.log}; errors and the runtime's warnings are echoed to the
 * terminal with the node's name. The returned cluster stops every child when closed, and its
 * shutdown hook does so on Ctrl-C or a crash.
 */
final class NodeLauncher {
  static final List<String> NODE_JVM_OPTIONS = List.of("--add-modules", "jdk.incubator.vector", "-Xss4m",
      "-Xmx1g", "-XX:+UseParallelGC", "-XX:MaxDirectMemorySize=256m");
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  private NodeLauncher() {}

  /** A running local cluster and the seed address its members joined. */
  /**
   * A running local cluster, the seed its members joined, and the journal server (H2, in this
   * process, which is never the one killed) every node's scheduler ledger writes to; nodes
   * started later need {@code nodeOptions} too.
   */
  record Launched(LocalCluster cluster, String seed, Path logs, H2JournalServer journal, List<String> nodeOptions)
      implements AutoCloseable {
    @Override public void close() {
      try {
        cluster.close();
      } finally {
        if (journal != null) {
          journal.close();
        }
      }
    }
  }

  static Launched launch(int nodes, int ranksPerNode, PrintWriter out) {
    return launch(nodes, ranksPerNode, out, List.of(), null);
  }

  /** As above, each node JVM also getting {@code extraJvmOptions} (e.g. -Delaswave.snapshots=off). */
  static Launched launch(int nodes, int ranksPerNode, PrintWriter out, List<String> extraJvmOptions,
      String journalUrl) {
    Path logs = Path.of("runs", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS")));
    H2JournalServer journal = null;
    try {
      Files.createDirectories(logs);
      String url = journalUrl;
      if (url == null) {
        journal = H2JournalServer.start(logs.resolve("journal").toAbsolutePath());
        url = journal.jdbcUrl();
      }
      JournalSchema.createIfMissing(JournalDatabase.of(url));
      List<String> nodeOptions = new ArrayList<>(extraJvmOptions);
      nodeOptions.add("-Delaswave.journal.url=" + url);
      extraJvmOptions = nodeOptions;
      List<Integer> ports = FreePorts.pick(nodes);
      String seed = "127.0.0.1:" + ports.get(0);
      List<NodeProcessSpec> specs = new ArrayList<>();
      for (int i = 0; i < nodes; i++) {
        specs.add(spec(i, ports.get(i), seed, ranksPerNode, logs, extraJvmOptions));
      }
      LocalCluster cluster = new LocalCluster(READY_TIMEOUT, Duration.ofSeconds(10), (node, line) -> {
        if (line.contains(" ERROR ") || line.startsWith("Exception")
            || (line.contains(" WARN ") && (line.contains(" i.e.") || line.contains("io.elaswave")))) { // ours; Pekko's stay in the logs
          synchronized (out) {
            out.println("[" + node + "] " + line);
            out.flush();
          }
        }
      });
      try {
        cluster.startAll(specs);
      } catch (RuntimeException e) {
        cluster.close();
        throw e;
      } catch (InterruptedException e) {
        cluster.close();
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while starting node JVMs", e);
      }
      out.println("job ledger journal: " + (journal != null ? "H2 server on " + url.replaceAll(";.*", "")
          : JournalDatabase.of(url)));
      cluster.nodes().values().forEach(n -> out.println("started " + n.name() + " (pid " + n.pid() + "), log "
          + n.logFile()));
      out.flush();
      return new Launched(cluster, seed, logs, journal, List.copyOf(extraJvmOptions));
    } catch (IOException e) {
      closeQuietly(journal);
      throw new UncheckedIOException("cannot start node JVMs: " + e.getMessage(), e);
    } catch (java.sql.SQLException e) {
      closeQuietly(journal);
      throw new IllegalStateException("cannot start the journal server: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      closeQuietly(journal);
      throw e;
    }
  }

  private static void closeQuietly(H2JournalServer journal) {
    if (journal != null) {
      journal.close();
    }
  }

  static NodeProcessSpec spec(int index, int port, String seed, int ranksPerNode, Path logs) {
    return spec(index, port, seed, ranksPerNode, logs, List.of());
  }

  static NodeProcessSpec spec(int index, int port, String seed, int ranksPerNode, Path logs, List<String> extra) {
    String name = "node-" + index;
    List<String> jvm = new ArrayList<>(NODE_JVM_OPTIONS);
    jvm.addAll(extra);
    return NodeProcessSpec.of(name, Main.class.getName(), logs.resolve(name + ".log"))
        .withJvmOptions(jvm)
        .withArgs("node", "--name", name, "--host", "127.0.0.1", "--port", Integer.toString(port),
            "--seed", seed, "--ranks", Integer.toString(ranksPerNode));
  }
}
