package io.elaswave.app.observe;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The driver's HTTP endpoints: {@code /metrics} in the Prometheus text format (the Prometheus
 * client's own handler), {@code /status} as JSON ({@link RunStatus}), and {@code /} naming them.
 * Read-only; served by the JDK's HTTP server on two daemon threads.
 */
public final class DriverHttp implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private final HttpServer server;
  private final ExecutorService threads;

  private DriverHttp(HttpServer server, ExecutorService threads) {
    this.server = server;
    this.threads = threads;
  }

  /**
   * Listens on {@code host:port}.
   *
   * @throws IOException when it cannot (a port in use)
   */
  public static DriverHttp start(String host, int port, PrometheusRegistry registry, StatusBoard board)
      throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 16);
    ExecutorService threads = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "elaswave-http");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(threads);
    server.createContext("/metrics", new MetricsHandler(registry));
    server.createContext("/status", exchange -> {
      try (exchange) {
        if (!exchange.getRequestURI().getPath().equals("/status")) {
          send(exchange, 404, "text/plain", "not found\n");
        } else {
          send(exchange, 200, "application/json", JSON.writeValueAsString(board.now()) + "\n");
        }
      }
    });
    server.createContext("/", exchange -> {
      try (exchange) {
        if (exchange.getRequestURI().getPath().equals("/")) {
          send(exchange, 200, "text/plain", "elaswave driver: /metrics (Prometheus), /status (JSON)\n");
        } else {
          send(exchange, 404, "text/plain", "not found: /metrics and /status are served here\n");
        }
      }
    });
    server.start();
    return new DriverHttp(server, threads);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void send(HttpExchange exchange, int code, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
    if (exchange.getRequestMethod().equals("HEAD")) {
      exchange.sendResponseHeaders(code, -1);
      return;
    }
    exchange.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
