package io.elaswave.app.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.elaswave.app.RunEvent;
import io.elaswave.app.TrainingDriver;
import io.elaswave.engine.train.StepResult;
import io.elaswave.protocol.runtime.DriverMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What the driver's /metrics and /status say after steps and events, read over HTTP. */
class LiveMetricsTest {
  private final LiveMetrics metrics = new LiveMetrics();
  private final StatusBoard board = new StatusBoard();
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void stepsAndRecoveriesShowInBothEndpoints() throws Exception {
    try (DriverHttp server = DriverHttp.start("127.0.0.1", 0, metrics.registry(), board)) {
      String base = "http://127.0.0.1:" + server.port();
      assertEquals("starting", json(base + "/status").path("state").asText());
      metrics.started("runtime test", 0, 10);
      board.started("runtime test", 0, 10);
      Driver d = new Driver(commit(1, "dp2xpp1@epoch1", List.of(busy(0, "node-0"), busy(1, "node-1"))));
      step(d, 1, 50_000_000L);
      List<PromText.Sample> first = PromText.parse(get(base + "/metrics"));
      assertEquals(1, PromText.value(first, "elaswave_committed_step"));
      assertEquals(1, PromText.value(first, "elaswave_node_ranks", "node", "node-1"));
      assertEquals(1, PromText.value(first, "elaswave_layout_info", "layout", "dp2xpp1"));
      assertEquals(0.4, PromText.value(first, "elaswave_node_cpu_budget_cores", "node", "node-0"), 1e-9);

      RunEvent lost = new RunEvent.Recovered(1, 2, "node-dead", "[node-1]", "[r1]", "dp1xpp1@epoch2", 2, 12, 180, 240);
      metrics.event(lost);
      board.event(lost);
      d.last = commit(2, "dp1xpp1@epoch2", List.of(busy(0, "node-0")));
      step(d, 2, 100_000_000L);
      List<PromText.Sample> second = PromText.parse(get(base + "/metrics"));
      assertEquals(2, PromText.value(second, "elaswave_committed_step"));
      assertEquals(2, PromText.value(second, "elaswave_steps_committed_total"));
      assertEquals(1, PromText.value(second, "elaswave_replans_total", "cause", "node-dead"));
      assertEquals(1, PromText.value(second, "elaswave_recovery_seconds_count"));
      assertEquals(0.18, PromText.value(second, "elaswave_recovery_seconds_sum"), 1e-9);
      assertEquals(1, PromText.value(second, "elaswave_recovery_seconds_bucket", "le", "0.25"));
      assertEquals(2, PromText.value(second, "elaswave_layout_epoch"));
      assertEquals(1, PromText.value(second, "elaswave_layout_info", "layout", "dp1xpp1"));
      assertEquals(6, PromText.value(second, "elaswave_stale_messages_dropped_total"), "3 a step");
      assertEquals(2 * 4096, PromText.value(second, "elaswave_snapshot_bytes_total"));
      assertTrue(second.stream().noneMatch(s -> s.labels().containsValue("node-1")), "node-1 has left: " + second);
      assertTrue(second.stream().noneMatch(s -> s.labels().containsValue("dp2xpp1")), "an old layout stays: " + second);
      assertTrue(second.stream().anyMatch(s -> s.name().startsWith("jvm_")), "the driver JVM's own metrics");

      JsonNode status = json(base + "/status");
      assertEquals("running", status.path("state").asText());
      assertEquals(2, status.path("step").asLong());
      assertEquals("dp1xpp1", status.path("layout").asText());
      assertEquals("node-dead", status.path("lastRecovery").path("cause").asText());
      assertEquals(180.0, status.path("lastRecovery").path("mttrMillis").asDouble());
      assertEquals("node-0", status.path("nodes").get(0).path("node").asText());
      assertEquals(1, status.path("nodes").size());
      assertTrue(StatusTable.ofRun(status).contains("node-dead [node-1] at step 2"), StatusTable.ofRun(status));

      assertEquals(404, http.send(HttpRequest.newBuilder(URI.create(base + "/nothing")).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode());
    }
  }

  @Test
  void theReaderRefusesWhatIsNotTheTextFormat() {
    assertThrows(AssertionError.class, () -> PromText.parse("elaswave_x 1\n")); // no TYPE
    assertThrows(AssertionError.class, () -> PromText.parse("# TYPE x gauge\nx{a=b} 1\n"));
    assertThrows(AssertionError.class, () -> PromText.parse("# TYPE x gauge\nx one\n"));
    assertThrows(AssertionError.class, () -> PromText.parse(
        "# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_count 1\nh_sum 1\n"));
  }

  private void step(Driver d, long step, long nanos) {
    StepResult r = new StepResult(step, 2.5f - step / 10f, 7L, 1e-3f, 1.0, 256);
    metrics.step(r, nanos, d);
    board.step(r, nanos, d);
  }

  private static DriverMessage.StepCommitted commit(long step, String layout, List<DriverMessage.RankBusy> busy) {
    return new DriverMessage.StepCommitted(step, 2.5f, 7L, 1e-3f, 1.0, 256, layout, 1000, 8, List.of(),
        DriverMessage.StepPhases.none(), 0, busy, List.of(), 3, 4096);
  }

  private static DriverMessage.RankBusy busy(int rank, String node) {
    return new DriverMessage.RankBusy(rank, rank, 0, node, 1.0, 10);
  }

  private String get(String uri) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(uri)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), uri);
    return r.body();
  }

  private JsonNode json(String uri) throws Exception {
    return new ObjectMapper().readTree(get(uri));
  }

  /** A runtime driver as the watchers see it: its last commit and budgets. */
  private static final class Driver implements TrainingDriver {
    DriverMessage.StepCommitted last;

    Driver(DriverMessage.StepCommitted last) {
      this.last = last;
    }

    @Override public Optional<DriverMessage.StepCommitted> lastCommit() {
      return Optional.of(last);
    }

    @Override public String layout() {
      return last.layout();
    }

    @Override public Map<String, Double> nodeBudgets() {
      return Map.of("node-0", 0.4);
    }

    @Override public String description() {
      return "test";
    }

    @Override public long committedSteps() {
      return last.step();
    }

    @Override public StepResult step() {
      throw new UnsupportedOperationException();
    }

    @Override public float evaluate() {
      return 0;
    }

    @Override public io.elaswave.engine.train.TrainState committedState() {
      throw new UnsupportedOperationException();
    }

    @Override public Path writeCheckpoint(Path root) {
      throw new UnsupportedOperationException();
    }

    @Override public long digest() {
      return 0;
    }
  }
}
