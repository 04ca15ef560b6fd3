package io.elaswave.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.elaswave.app.launch.FreePorts;
import io.elaswave.app.observe.PromText;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Watching a real run of three node JVMs, one of them killed: the driver's /metrics parses as
 * the Prometheus text format and moves as steps commit, /status shows the layout and the
 * recovery, node-0's Pekko Management answers /alive and /ready and drops the killed node from
 * its members, {@code elaswave status} prints the table, and every port closes with the run.
 */
class WatchRunTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @Test
  void aRunCanBeWatchedOverHttpWhileANodeDies() throws Exception {
    int port = freeRun(4); // the driver, then node-0..node-2
    String driver = "http://127.0.0.1:" + port;
    String node0 = "http://127.0.0.1:" + (port + 1);
    CompletableFuture<Cli.Result> run = CompletableFuture.supplyAsync(() -> Cli.run("train", "--model", "tiny",
        "--nodes", "3", "--dp", "3", "--steps", "200", "--kill", "node-2@60", "--http-port", Integer.toString(port)));
    try {
      JsonNode status = await(driver + "/status", s -> s.path("step").asLong() >= 3, run);
      assertEquals("dp3xpp1", status.path("layout").asText(), status.toString());
      assertEquals(3, status.path("nodes").size(), "three working nodes: " + status);
      assertEquals(200, code(node0 + "/alive"));
      assertEquals(200, code(node0 + "/ready"), "node-0 is Up and hosts a rank");
      String node2 = address(status, "node-2");
      JsonNode members = json(node0 + "/cluster/members");
      assertEquals(4, members.path("members").size(), "three nodes and the driver: " + members);

      List<PromText.Sample> first = PromText.parse(
          get(driver + "/metrics"));
      double step = PromText.value(first, "elaswave_committed_step");
      assertTrue(step >= 3, "committed step " + step);
      awaitMetric(driver, "elaswave_committed_step", v -> v > step, run);

      Cli.Result table = Cli.run("status", "--http", "127.0.0.1:" + port);
      assertEquals(0, table.status(), table.err());
      assertTrue(table.out().contains("node-0") && table.out().contains("layout dp"), table.out());

      JsonNode recovered = await(driver + "/status", s -> s.path("lastRecovery").path("cause").asText()
          .equals("node-dead"), run);
      assertEquals("dp2xpp1", recovered.path("layout").asText(), recovered.toString());
      awaitJson(node0 + "/cluster/members", m -> !m.toString().contains(node2), run);
      double replans = awaitMetric(driver, "elaswave_replans_total{cause=\"node-dead\"}", v -> v >= 1, run);
      assertEquals(1, replans, "one node lost, one re-plan for it");

      Cli.Result done = run.get(180, TimeUnit.SECONDS);
      assertEquals(0, done.status(), done.err());
      for (int p = port; p <= port + 3; p++) {
        int closed = p;
        assertThrows(IOException.class, () -> new Socket("127.0.0.1", closed).close(), "port " + p + " still open");
      }
    } finally {
      run.get(180, TimeUnit.SECONDS); // the run's own cleanup (node JVMs, ports) before the next test
    }
  }

  /** The address node {@code name} has among the /status members. */
  private static String address(JsonNode status, String name) {
    for (JsonNode m : status.path("members")) {
      if (m.path("node").asText().equals(name)) {
        return m.path("address").asText();
      }
    }
    throw new AssertionError(name + " is not among the members: " + status);
  }

  private JsonNode await(String uri, Predicate<JsonNode> ok, CompletableFuture<Cli.Result> run) throws Exception {
    return awaitJson(uri, ok, run);
  }

  /** Bounded poll of a JSON endpoint while the run goes on; a run that ended first fails with its stderr. */
  private JsonNode awaitJson(String uri, Predicate<JsonNode> ok, CompletableFuture<Cli.Result> run)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      if (run.isDone()) {
        throw new AssertionError("the run ended first: " + run.get().err() + "; last " + uri + ": " + last);
      }
      try {
        last = json(uri);
        if (ok.test(last)) {
          return last;
        }
      } catch (IOException e) {
        // not serving yet
      }
      Thread.sleep(50); // the poll's step, bounded by the deadline above
    }
    throw new AssertionError("timed out on " + uri + ": last answer " + last);
  }

  private double awaitMetric(String driver, String sample, java.util.function.DoublePredicate ok,
      CompletableFuture<Cli.Result> run) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (System.nanoTime() < deadline && !run.isDone()) {
      var samples = PromText.parse(get(driver + "/metrics"));
      String name = sample.contains("{") ? sample.substring(0, sample.indexOf('{')) : sample;
      String[] labels = sample.contains("{") ? sample.substring(sample.indexOf('{') + 1, sample.length() - 1)
          .replace("\"", "").split("=") : new String[0];
      double v = samples.stream().anyMatch(s -> s.name().equals(name))
          ? PromText.value(samples, name, labels) : Double.NaN;
      if (ok.test(v)) {
        return v;
      }
      Thread.sleep(50); // the poll's step, bounded by the deadline above
    }
    throw new AssertionError("timed out waiting for " + sample);
  }

  private JsonNode json(String uri) throws Exception {
    return JSON.readTree(get(uri));
  }

  private String get(String uri) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException(uri + " answered " + r.statusCode());
    }
    return r.body();
  }

  private int code(String uri) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  /** The first of {@code count} consecutive free ports. */
  private static int freeRun(int count) throws IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      int base = FreePorts.pick(1).get(0);
      if (base + count > 65535) {
        continue;
      }
      boolean free = true;
      for (int p = base; p < base + count && free; p++) {
        try (ServerSocket s = new ServerSocket()) {
          s.bind(new InetSocketAddress("127.0.0.1", p));
        } catch (IOException e) {
          free = false;
        }
      }
      if (free) {
        return base;
      }
    }
    throw new IOException("no " + count + " consecutive free ports");
  }
}
