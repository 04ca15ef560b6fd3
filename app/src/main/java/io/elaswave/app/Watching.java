package io.elaswave.app;

import io.elaswave.app.observe.DriverHttp;
import io.elaswave.app.observe.LiveMetrics;
import io.elaswave.app.observe.StatusBoard;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;

/**
 * {@code train --http-port P}: the driver's {@code /metrics} and {@code /status} on P, and Pekko
 * Management on P+1+i for each local node-i. Every port is checked before a node JVM starts, so
 * a port in use is refused in one line with nothing started.
 */
record Watching(DriverHttp http, LiveMetrics metrics, StatusBoard board) implements AutoCloseable {
  static final Watching NONE = new Watching(null, null, new StatusBoard());

  /** The run's options with the nodes' management ports, once every port is known to be free. */
  static RuntimeOptions check(int port, RuntimeOptions runtime) {
    if (port < 1 || port > 65535) {
      throw new InputException("--http-port must be in [1, 65535], got " + port);
    }
    if (runtime == null || !runtime.local()) {
      return runtime; // the reference trainer, or nodes of an existing cluster: they serve their own
    }
    int nodes = runtime.nodes() + runtime.joinAt().size();
    if (port + nodes > 65535) {
      throw new InputException("--http-port " + port + " leaves no room for the " + nodes + " nodes' ports after it");
    }
    for (int i = 1; i <= nodes; i++) {
      free(port + i, "--http-port " + port + ": node-" + (i - 1) + "'s management port");
    }
    return runtime.withManagementPorts(port + 1);
  }

  /** Starts serving the driver's endpoints on {@code port}. */
  static Watching serve(int port, RuntimeOptions runtime) {
    String host = runtime == null || runtime.local() ? "127.0.0.1" : runtime.host();
    LiveMetrics metrics = new LiveMetrics();
    StatusBoard board = new StatusBoard();
    try {
      return new Watching(DriverHttp.start(host, port, metrics.registry(), board), metrics, board);
    } catch (IOException e) {
      throw new InputException("--http-port " + port + ": cannot listen on " + host + ":" + port + ": "
          + e.getMessage());
    }
  }

  private static void free(int port, String what) {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress("127.0.0.1", port));
    } catch (IOException e) {
      throw new InputException(what + " " + port + " is not free: " + e.getMessage());
    }
  }

  /** Who the training loop tells of every step and event. */
  RunWatch watch() {
    return metrics == null ? RunWatch.NONE : RunWatch.all(List.of(metrics, board));
  }

  @Override public void close() {
    if (http != null) {
      http.close();
    }
  }
}
