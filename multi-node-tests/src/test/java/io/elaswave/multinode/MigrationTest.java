package io.elaswave.multinode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.elaswave.engine.optim.AdamWConfig;
import io.elaswave.engine.train.TrainConfig;
import io.elaswave.protocol.runtime.DriverMessage;
import io.elaswave.protocol.runtime.JobSpec;
import io.elaswave.protocol.runtime.Recovery;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Recover first, rebalance in the background, on real node JVMs: a pipeline that loses a stage
 * resumes with survivors keeping their layers, then switches to the balanced partition at a step
 * boundary from shadows kept while steps ran; a second kill while the shadows stream voids the
 * migration and recovers from the installed layout. Every committed step bitwise equal to the
 * reference trainer.
 */
@Tag("multijvm")
class MigrationTest {
  /** The small preset has 8 layers: over 3 or 4 stages the recover-first partition is unbalanced. */
  private static TrainConfig small(int steps) {
    return new TrainConfig("small", 1337, steps, 4, 1, 3e-3f, 3e-4f, 2, 20, AdamWConfig.defaults(), 0, 2);
  }

  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void aLossRecoversFirstThenMigratesToTheBalancedPlan(org.junit.jupiter.api.TestInfo test) throws Exception {
    TrainConfig config = small(4);
    ClusterHarness harness = ClusterHarness.start(4, 1, TestCluster.logs(test), TestCluster.DRIVER);
    try (harness) {
      harness.client().start(new JobSpec(config, 1, 4, ""));
      FaultScript.Outcome outcome = new FaultScript().kill("node-1", 2, Duration.ofMillis(30)).run(harness, 4);
      ReferenceRun.assertMatches(config, outcome);
      List<Recovery> r = outcome.recoveries();
      assertEquals(List.of("node-dead", "migrated"), r.stream().map(Recovery::cause).toList(), r.toString());
      assertTrue(r.get(0).layout().startsWith("dp1xpp3@"), r.toString());
      assertTrue(r.get(1).layout().startsWith("dp1xpp3@"), r.toString());
      assertEquals(-1, r.get(1).abandonedStep(), "the switch waits for a step boundary and abandons nothing");
      assertTrue(r.get(1).readyAtMillis() > r.get(0).readyAtMillis());
    }
    assertTrue(harness.allExited(), "a node JVM outlived the harness");
  }

  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void aKillWhileTheShadowsStreamRecoversFromTheInstalledLayout(org.junit.jupiter.api.TestInfo test)
      throws Exception {
    TrainConfig config = small(4);
    Path logs = TestCluster.logs(test);
    ClusterHarness harness = ClusterHarness.start(5, 1, logs, TestCluster.DRIVER);
    try (harness) {
      harness.client().start(new JobSpec(config, 1, 5, ""));
      Map<Long, DriverMessage.StepCommitted> commits = new TreeMap<>();
      List<Recovery> recoveries = new ArrayList<>();
      for (long step = 1; step <= config.steps(); step++) {
        long s = step;
        CompletableFuture<DriverMessage.StepCommitted> reply =
            CompletableFuture.supplyAsync(() -> harness.client().step(s));
        if (step == 2) {
          harness.node("node-2").kill(); // r2 holds layers 2-3 of 8: r1 takes them, unbalanced
          awaitLogLine(logs.resolve("node-0.log"), "migrating in the background");
          harness.node("node-4").kill(); // the recover-first layout is installed, its shadows stream
        }
        DriverMessage.StepCommitted done = reply.join();
        commits.put(step, done);
        recoveries.addAll(done.recoveries());
      }
      ReferenceRun.assertMatches(config, new FaultScript.Outcome(commits, recoveries, Map.of(), List.of(), Map.of()));
      List<String> causes = recoveries.stream().map(Recovery::cause).toList();
      assertEquals(List.of("node-dead", "node-dead"), causes.subList(0, 2),
          "the second kill came before any switch: " + recoveries);
      assertFalse(harness.node("node-4").isAlive());
    }
    assertTrue(harness.allExited(), "a node JVM outlived the harness");
  }

  /** Bounded poll of a node's log for a line (node logs are WARN and up; the scheduler warns of migrations). */
  private static void awaitLogLine(Path log, String text) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (Files.exists(log) && Files.readString(log).contains(text)) {
        return;
      }
      TimeUnit.MILLISECONDS.sleep(5);
    }
    throw new AssertionError("no '" + text + "' in " + log + " within 60 s");
  }
}
