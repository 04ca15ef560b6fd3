package io.elaswave.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code elaswave simulate} end to end on a small job: JSON, the report, the table, and refusals. */
class SimulateCommandTest {
  @TempDir Path dir;

  @Test
  void everyPolicyIsSimulatedOnTheSameFailuresAndWritten() throws Exception {
    Path json = dir.resolve("s.json");
    Path html = dir.resolve("s.html");
    Cli.Result r = Cli.ok("simulate", "--accelerators", "512", "--dp", "64", "--pp", "8", "--days", "3",
        "--failure-rate", "0.05", "--seed", "5", "--plan-time", "0.05", "--out", json.toString(), "--report",
        html.toString());
    JsonNode root = new ObjectMapper().readTree(json.toFile());
    assertTrue(root.path("simulated").asBoolean(), "figures are labelled simulated");
    assertTrue(root.path("assumptions").asText().contains("Assumed:"), root.path("assumptions").asText());
    JsonNode results = root.path("results");
    assertEquals(4, results.size());
    int failures = results.get(0).path("failures").asInt();
    assertTrue(failures > 0, "64 nodes at 0.05 a node-day over 3 days: " + failures);
    for (JsonNode p : results) {
      assertEquals(failures, p.path("failures").asInt(), "the same failures for " + p.path("policy").asText());
      double ettr = p.path("ettr").asDouble();
      assertTrue(ettr > 0 && ettr <= 1, p.toString());
      assertEquals(3, p.path("days").size());
    }
    assertEquals(List.of("elaswave", "torchft", "recycle", "restart"),
        List.of(results.get(0).path("policy").asText(), results.get(1).path("policy").asText(),
            results.get(2).path("policy").asText(), results.get(3).path("policy").asText()));
    String page = Files.readString(html);
    assertTrue(page.contains("<svg") && page.contains("simulated, not measured") && page.contains("restart"), page);
    assertTrue(r.out().contains("ETTR") && r.out().lines().filter(l -> l.startsWith("recycle")).count() == 1, r.out());
    assertTrue(r.err().contains("100%"), "a progress bar on stderr: " + r.err());
  }

  @Test
  void badInputIsRefusedInOneLineAndNothingIsWritten() {
    Path json = dir.resolve("bad.json");
    for (String[] args : new String[][] {{"--accelerators", "100", "--dp", "10", "--pp", "10"},
        {"--accelerators", "512", "--dp", "64", "--pp", "4"}, {"--accelerators", "512", "--dp", "64", "--pp", "8",
            "--policy", "fastest"}, {"--accelerators", "512", "--dp", "64", "--pp", "8", "--model", "gpt-9"},
        {"--accelerators", "512", "--dp", "64", "--pp", "8", "--plan-time", "soon"},
        {"--accelerators", "512", "--dp", "64", "--pp", "8", "--failure-rate", "-1"},
        {"--accelerators", "512", "--dp", "64", "--pp", "8", "--days", "0"},
        {"--accelerators", "512", "--dp", "64", "--pp", "8", "--micro-batches", "10"}}) {
      String[] all = new String[args.length + 3];
      all[0] = "simulate";
      System.arraycopy(args, 0, all, 1, args.length);
      all[args.length + 1] = "--out";
      all[args.length + 2] = json.toString();
      Cli.Result r = Cli.run(all);
      assertEquals(2, r.status(), String.join(" ", args) + ": " + r.err());
      assertTrue(r.err().startsWith("elaswave: ") && r.err().strip().lines().count() == 1, r.err());
      assertTrue(!Files.exists(json), "nothing written for " + String.join(" ", args));
    }
    Cli.Result r = Cli.run("simulate", "--accelerators", "512", "--dp", "64", "--pp", "8", "--out",
        dir.resolve("no/such/dir/s.json").toString());
    assertEquals(2, r.status(), r.err());
  }
}
