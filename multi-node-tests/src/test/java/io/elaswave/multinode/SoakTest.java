package io.elaswave.multinode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.elaswave.engine.optim.AdamWConfig;
import io.elaswave.engine.train.TrainConfig;
import io.elaswave.protocol.runtime.JobSpec;
import io.elaswave.protocol.runtime.Recovery;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;

/**
 * The soak (profile {@code soak}, not in the default build): 150 steps of {@code tiny} on six
 * node JVMs, a SIGKILL every 15 steps with a node joining five steps after each, one host frozen
 * for good and, as root, one link cut for good. Every step ends on the reference trainer's
 * digest, and no JVM, namespace or veth outlives the run.
 */
@Tag("soak")
class SoakTest {
  private static final long STEPS = 150;

  @Test
  @Timeout(value = 30, unit = TimeUnit.MINUTES)
  void killsJoinsAFreezeAndAPartitionOver150StepsStayBitwise(TestInfo test) throws Exception {
    boolean root = "root".equals(System.getProperty("user.name"));
    TrainConfig config = new TrainConfig("tiny", 4242, (int) STEPS, 6, 2, 3e-3f, 3e-4f, 10, 40, AdamWConfig.defaults(),
        0, 2);
    // node-0 (the seed, scheduler) stays; node-1..5 start, node-6.. join, one before every fifth step after a kill
    FaultScript script = new FaultScript();
    List<String> kills = List.of("node-5", "node-4", "node-6", "node-3", "node-7", "node-8", "node-9", "node-10",
        "node-11");
    for (int i = 0; i < kills.size(); i++) {
      long at = 15L * (i + 1);
      script.kill(kills.get(i), at, Duration.ofMillis(30 + 20 * (i % 4)));
      script.join(at + 5);
    }
    script.freeze("node-2", 68, Duration.ofMillis(40), 0); // for good: the cluster downs it
    if (root) {
      script.partition("node-1", 112, Duration.ofMillis(40), 0); // for good
      script.join(117);
    }
    script.join(73);
    Path logs = TestCluster.logs(test);
    ClusterHarness harness = ClusterHarness.start(ClusterHarness.settings(6, 1, logs).withNetns(root),
        TestCluster.DRIVER);
    FaultScript.Outcome outcome;
    try (harness) {
      harness.client().start(new JobSpec(config, 6, 1, ""));
      outcome = script.run(harness, STEPS);
      ReferenceRun.assertMatches(config, outcome);
    }
    assertEquals(STEPS, outcome.commits().size());
    long losses = outcome.recoveries().stream().map(Recovery::cause)
        .filter(c -> !c.equals("node-joined") && !c.equals("migrated") && !c.startsWith("speed")).count();
    assertTrue(losses >= kills.size() + 1, "every kill and the freeze were recovered from: " + outcome.recoveries());
    assertTrue(harness.allExited(), "a node JVM outlived the harness");
    if (root) {
      assertEquals("", run("ip", "netns", "list").strip(), "a network namespace outlived the run");
    }
    assertTrue(Files.exists(logs.resolve("node-0.log")));
  }

  private static String run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    p.waitFor(30, TimeUnit.SECONDS);
    return out;
  }
}
