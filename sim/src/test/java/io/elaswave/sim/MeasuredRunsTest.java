package io.elaswave.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.elaswave.engine.model.ModelConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The simulator against the runtime: the scenario {@code bench policies} ran for real (`small`,
 * dp2 × pp4 on 8 emulated accelerators of 0.2 cores, 16 micro-batches, node-5 killed), read from
 * the committed {@code bench/results/policies.json}, and the same job in the simulator, calling
 * the same policies. Compared: each policy's tokens/s after the change as a ratio to ElasWave's,
 * measured in one run against predicted — a ratio, so the accelerator's speed cancels and nothing
 * is calibrated on the measurement. The tolerance is ±25%, not the ±15% the issue suggests: the
 * simulator's stand-in sharing (two ranks on one accelerator, each at half speed, no bubble
 * absorbed) is ReCycle's worst case, and the emulated nodes speed up when fewer of them run on the
 * two cores (restart's four). What is predicted, measured and off is in BENCHMARKS.md.
 */
class MeasuredRunsTest {
  static final double TOLERANCE = 0.25;
  private static final Path MEASURED = Path.of("..", "bench", "results", "policies.json");

  @Test
  void afterAKillEachPolicysThroughputOverElasWavesIsWhatTheRuntimeMeasured() throws IOException {
    JsonNode run = new ObjectMapper().readTree(Files.readString(MEASURED)).path("policies");
    assertEquals("kill", run.path("scenario").asText());
    int dp = run.path("dp").asInt();
    int pp = run.path("pp").asInt();
    int nodes = run.path("nodes").asInt();
    Map<String, Double> measured = new HashMap<>();
    for (JsonNode p : run.path("summary")) {
      measured.put(p.path("policy").asText(), p.path("elaswaveOver").asDouble()); // per repeat, back to back
    }
    ModelPreset small = ModelPreset.ofRuntime(ModelConfig.preset(run.path("model").asText(), 65), 8);
    // one accelerator a node; speed and link are placeholders: a ratio of two policies cancels them
    Hardware emulated = new Hardware(1, 1e9, 1e12, 1e-4, 0.15, 0.5, 5, 1_000, 0);
    Map<String, Simulation.OneLoss> predicted = new HashMap<>();
    for (String policy : List.of("elaswave", "torchft", "recycle", "restart")) {
      SimConfig c = new SimConfig(small, emulated, FailureModel.LLAMA3, nodes, dp, pp,
          run.path("microBatches").asInt(), 1, policy, 1, new PlanTime.Fixed(0.05));
      predicted.put(policy, new Simulation(c).oneLoss(5));
    }
    double elaswave = predicted.get("elaswave").tokensPerSecondSettled();
    StringBuilder table = new StringBuilder();
    for (String policy : List.of("torchft", "recycle", "restart")) {
      double sim = elaswave / predicted.get(policy).tokensPerSecondSettled();
      double real = measured.get(policy);
      table.append(String.format(java.util.Locale.ROOT, "%s: elaswave over it %.3f simulated, %.3f measured (%+.1f%%)%n",
          policy, sim, real, 100 * (sim / real - 1)));
    }
    for (String policy : List.of("torchft", "recycle", "restart")) {
      double sim = elaswave / predicted.get(policy).tokensPerSecondSettled();
      double real = measured.get(policy);
      assertTrue(real > 1, policy + " measured slower than elaswave: " + real);
      assertTrue(Math.abs(sim / real - 1) <= TOLERANCE, table.toString());
    }
    // the shape of each recovery, as the runtime did it
    assertTrue(predicted.get("elaswave").settledLayout().startsWith("dp2xpp[4,3]"), predicted.toString());
    assertTrue(predicted.get("torchft").settledLayout().startsWith("dp1xpp4"), predicted.toString());
    assertTrue(predicted.get("restart").stepsRedone() >= 0 && predicted.get("restart").mttrSeconds()
        > predicted.get("elaswave").mttrSeconds(), "a restart is down longer than a live re-plan: " + predicted);
    System.out.print(table);
  }
}
