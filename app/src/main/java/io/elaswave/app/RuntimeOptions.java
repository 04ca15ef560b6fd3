package io.elaswave.app;

/**
 * How to run the distributed runtime: the parallel shape (dp × pp ranks), and where the ranks
 * live — in this JVM ({@code nodes == 1}), in {@code nodes} JVMs started here on loopback, or on
 * an existing cluster reached through the seed {@code join} (host:port), advertising {@code host}.
 */
record RuntimeOptions(int dp, int pp, int nodes, int ranksPerNode, String join, String host) {
  RuntimeOptions {
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
      throw new IllegalArgumentException("--join must be HOST:PORT, got '" + join + "'");
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
