package io.elaswave.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.elaswave.app.launch.BudgetGroups;
import io.elaswave.app.launch.CpuGroups;
import io.elaswave.app.launch.NetworkLab;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The frequency axis end to end on emulated accelerators: tiny as pp3 over three node JVMs (its
 * four layers split embedding + block | block | head, so the last stage waits), under each mode.
 * The scheduler plans clocks once the stages are measured and the nodes' governors (their
 * control groups' quotas) take them; every step carries its modelled energy; every digest is the
 * reference trainer's; no control group outlives the run. Needs root (control groups).
 */
class FrequencyRunTest {
  private static final String[] JOB = {"--model", "tiny", "--micro-batches", "12", "--steps", "16"};

  @TempDir Path dir;

  @Test
  void energyModeSlowsTheWaitingStageAndEveryDigestIsBitwise() throws IOException {
    List<Map<String, String>> plans = runAndCheck("energy");
    assertTrue(plans.stream().anyMatch(p -> clockValues(p).stream().anyMatch(f -> f < 0.99)),
        "a waiting stage runs slower: " + plans);
    assertTrue(plans.stream().allMatch(p -> clockValues(p).stream().allMatch(f -> f <= 1.0)),
        "energy mode never boosts: " + plans);
  }

  @Test
  void powerCapModeBoostsTheBottleneckWithinTheCapAndEveryDigestIsBitwise() throws IOException {
    List<Map<String, String>> plans = runAndCheck("power-cap=5000"); // above the nominal power: room to boost
    List<Map<String, String>> boosted = plans.stream()
        .filter(p -> clockValues(p).stream().anyMatch(f -> f > 1.01)).toList();
    assertTrue(!boosted.isEmpty(), "the bottleneck is boosted: " + plans);
    for (Map<String, String> p : boosted) {
      assertTrue(Double.parseDouble(p.get("plannedMillis")) < Double.parseDouble(p.get("nominalMillis")),
          "boosted, the modelled step is shorter: " + p);
    }
  }

  /**
   * Runs the job under {@code mode}; checks digests, energy and cleanup; returns the clocks
   * events. Not only the first: a speed re-plan (node-0 shares its budget with the scheduler)
   * starts a new layout at nominal clocks, planned again once its stages are measured.
   */
  private List<Map<String, String>> runAndCheck(String mode) throws IOException {
    Assumptions.assumeTrue(NetworkLab.isRoot() && BudgetGroups.available(), "needs root for control groups");
    Path runtime = dir.resolve("runtime.jsonl");
    Path reference = dir.resolve("reference.jsonl");
    Cli.ok(concat(new String[] {"train", "--nodes", "3", "--pp", "3", "--node-cpus", "0.4", "--frequency", mode,
        "--metrics", runtime.toString()}, JOB));
    Cli.ok(concat(new String[] {"train", "--reference", "--metrics", reference.toString()}, JOB));
    assertEquals(Cli.digests(reference), Cli.digests(runtime), "clocks change time, never bits");
    List<Map<String, String>> events = Cli.metrics(runtime).stream()
        .filter(o -> "\"clocks\"".equals(o.get("event"))).toList();
    assertTrue(!events.isEmpty(), "no clocks event in " + Cli.metrics(runtime));
    for (Map<String, String> e : events) {
      assertTrue(e.get("mode").startsWith("\"" + mode.replaceFirst("=.*", "")), e.toString());
    }
    for (Map<String, String> step : Cli.steps(runtime)) {
      assertTrue(Double.parseDouble(step.get("energyJoules")) > 0, "every step has its modelled energy: " + step);
      assertTrue(Double.parseDouble(step.get("joulesPerToken")) > 0, step.toString());
    }
    assertEquals(List.of(), CpuGroups.detect().names("elaswave-"), "control groups left behind");
    return events;
  }

  /** The clocks of a clocks event ({@code "node-0=1.000,node-2=0.610"}; none for an empty plan). */
  private static List<Double> clockValues(Map<String, String> event) {
    String text = event.get("clocks").replace("\"", "");
    if (text.isEmpty()) {
      return List.of();
    }
    return Arrays.stream(text.split(",")).map(kv -> Double.parseDouble(kv.substring(kv.indexOf('=') + 1))).toList();
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
