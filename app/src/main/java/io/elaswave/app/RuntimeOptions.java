package io.elaswave.app;

import java.util.List;

/**
 * How to run the distributed runtime: the parallel shape (dp × pp ranks), and where the ranks
 * live — in this JVM ({@code nodes == 1}), in {@code nodes} JVMs started here on loopback, or on
 * an existing cluster reached through the seed {@code join} (host:port), advertising {@code host};
 * nodes to SIGKILL at given steps, steps before which one more node JVM is started, and the job
 * ledger's journal for local nodes (null: an H2 server in this process).
 */
record RuntimeOptions(int dp, int pp, int nodes, int ranksPerNode, String join, String host, List<Kill> kills,
    List<Long> joinAt, String journal) {
  /** SIGKILL node {@code node} (e.g. node-2) while step {@code step} runs. */
  record Kill(String node, long step) {
    /** Parses NODE@STEP, NODE being a node name (node-2) or index (2). */
    static Kill parse(String text) {
      int at = text.lastIndexOf('@');
      if (at <= 0 || at == text.length() - 1) {
        throw new IllegalArgumentException("--kill takes NODE@STEP, got '" + text + "'");
      }
      String node = text.substring(0, at);
      long step;
      try {
        step = Long.parseLong(text.substring(at + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--kill takes NODE@STEP, got '" + text + "'");
      }
      if (step < 1) {
        throw new IllegalArgumentException("--kill step must be >= 1, got " + step);
      }
      return new Kill(node.matches("\\d+") ? "node-" + node : node, step);
    }
  }

  RuntimeOptions {
    kills = List.copyOf(kills);
    joinAt = List.copyOf(joinAt);
    if (!joinAt.isEmpty() && (join != null || nodes < 2)) {
      throw new IllegalArgumentException("--join starts node JVMs here: it needs --nodes 2 or more");
    }
    if (journal != null && !journal.startsWith("jdbc:")) {
      throw new IllegalArgumentException("--journal takes a JDBC URL (jdbc:postgresql://… or jdbc:h2:…), got '"
          + journal + "'");
    }
    if (joinAt.stream().anyMatch(s -> s < 1)) {
      throw new IllegalArgumentException("--join step must be >= 1");
    }
    for (Kill k : kills) {
      if (join != null || nodes < 2) {
        throw new IllegalArgumentException("--kill needs node JVMs started here (--nodes 2 or more)");
      }
      if (!k.node().matches("node-\\d+") || Integer.parseInt(k.node().substring(5)) >= nodes) {
        throw new IllegalArgumentException("--kill: no node '" + k.node() + "' among node-0..node-" + (nodes - 1));
      }
    }
    if (dp < 1 || pp < 1) {
      throw new IllegalArgumentException("--dp and --pp must be >= 1");
    }
    if (nodes < 1) {
      throw new IllegalArgumentException("--nodes must be >= 1");
    }
    if (ranksPerNode < 1) {
      throw new IllegalArgumentException("--ranks-per-node must be >= 1");
    }
    if (join != null && !join.matches("[^:]+:\\d{1,5}")) {
      throw new IllegalArgumentException("--cluster must be HOST:PORT, got '" + join + "'");
    }
  }

  /** Ranks per node when not given: dp·pp spread evenly over the nodes. */
  static int defaultRanksPerNode(int dp, int pp, int nodes) {
    return (dp * pp + nodes - 1) / nodes;
  }

  boolean local() {
    return join == null;
  }
}
