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
import java.util.function.BiConsumer;

/**
 * The one launcher of loopback node JVMs ({@code train --nodes}, the demo, the benchmarks and
 * the multi-node tests): free ports, node-0 is the seed, each node runs {@code elaswave node}
 * with the {@link LoopbackSettings}' JVM options and logs to {@code <logs>/node-<i>.log}; the job
 * ledger's journal is an H2 server hosted here (the one process never killed) unless the settings
 * name one. {@link #close()} stops every child, then the journal server.
 */
public final class LoopbackCluster implements AutoCloseable {
  private final LoopbackSettings settings;
  private final LocalCluster cluster;
  private final String seed;
  private final String journalUrl;
  private final H2JournalServer journal;

  private LoopbackCluster(LoopbackSettings settings, LocalCluster cluster, String seed, String journalUrl,
      H2JournalServer journal) {
    this.settings = settings;
    this.cluster = cluster;
    this.seed = seed;
    this.journalUrl = journalUrl;
    this.journal = journal;
  }

  /** Starts the journal server (if hosted) and the nodes, and waits until every node is ready. */
  public static LoopbackCluster start(LoopbackSettings settings) throws IOException, InterruptedException {
    Files.createDirectories(settings.logs());
    H2JournalServer journal = null;
    LocalCluster cluster = null;
    try {
      String url = settings.journalUrl();
      if (url == null) {
        journal = H2JournalServer.start(settings.logs().resolve("journal").toAbsolutePath());
        url = journal.jdbcUrl();
      }
      JournalSchema.createIfMissing(JournalDatabase.of(url));
      List<Integer> ports = FreePorts.pick(settings.nodes());
      String seed = "127.0.0.1:" + ports.get(0);
      List<String> jvm = settings.jvmOptions(url);
      List<NodeProcessSpec> specs = new ArrayList<>();
      for (int i = 0; i < settings.nodes(); i++) {
        specs.add(nodeSpec(i, ports.get(i), seed, settings.ranksPerNode(), settings.logs(), jvm));
      }
      cluster = new LocalCluster(settings.readyTimeout(), settings.stopGrace(), settings.listener());
      cluster.startAll(specs);
      return new LoopbackCluster(settings, cluster, seed, url, journal);
    } catch (SQLException e) {
      close(cluster, journal);
      throw new IOException("cannot start the journal server: " + e.getMessage(), e);
    } catch (IOException | InterruptedException | RuntimeException e) {
      close(cluster, journal);
      throw e;
    }
  }

  /**
   * The spec of node {@code node-<index>}: {@code elaswave node} on loopback at {@code port},
   * joining {@code seed}, hosting up to {@code ranks} ranks, logging to {@code logs/node-<index>.log}.
   */
  public static NodeProcessSpec nodeSpec(int index, int port, String seed, int ranks, Path logs,
      List<String> jvmOptions) {
    String name = "node-" + index;
    return NodeProcessSpec.of(name, Main.class.getName(), logs.resolve(name + ".log"))
        .withJvmOptions(jvmOptions)
        .withArgs("node", "--name", name, "--host", "127.0.0.1", "--port", Integer.toString(port),
            "--seed", seed, "--ranks", Integer.toString(ranks));
  }

  /** Starts one more node ({@code node-<count>}, a free port, {@code ranks} ranks) and waits until it is ready. */
  public NodeProcess addNode(int ranks) throws IOException, InterruptedException {
    int index = cluster.nodes().size();
    NodeProcess node = cluster.start(nodeSpec(index, FreePorts.pick(1).get(0), seed, ranks, settings.logs(),
        settings.jvmOptions(journalUrl)));
    node.awaitReady(settings.readyTimeout());
    return node;
  }

  /**
   * A listener that echoes the nodes' errors and the runtime's own warnings to {@code out}, each
   * with the node's name (Pekko's warnings stay in the logs).
   */
  public static BiConsumer<String, String> warningsTo(PrintWriter out) {
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

  /** Prints where the journal is and, for each node, its pid and log file. */
  public void describe(PrintWriter out) {
    out.println("job ledger journal: " + (hostsJournal() ? "H2 server on " + journalUrl.replaceAll(";.*", "")
        : JournalDatabase.of(journalUrl)));
    cluster.nodes().values().forEach(n -> out.println("started " + n.name() + " (pid " + n.pid() + "), log "
        + n.logFile()));
    out.flush();
  }

  /** The seed node's address, {@code 127.0.0.1:<port>}. */
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
    close(cluster, journal);
  }

  private static void close(LocalCluster cluster, H2JournalServer journal) {
    try {
      if (cluster != null) {
        cluster.close();
      }
    } finally {
      if (journal != null) {
        journal.close();
      }
    }
  }
}
