package io.elaswave.multinode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.elaswave.engine.optim.AdamWConfig;
import io.elaswave.engine.train.TrainConfig;
import io.elaswave.planner.RankId;
import io.elaswave.protocol.runtime.JobSpec;
import io.elaswave.protocol.runtime.Recovery;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;

/**
 * Faults that are not deaths, across node JVMs: a rank that throws is reported by its node's
 * guardian and re-planned around while its node keeps running; a rank that hangs (its node
 * still beating) is found by the step deadline. Every step equals the reference trainer's.
 */
@Tag("multijvm")
class RankFaultTest {
  private static final List<String> FAST_DEADLINE = List.of("-Delaswave.step-deadline.floor=1s",
      "-Delaswave.step-deadline.first-steps=20s", "-Delaswave.step-deadline.probe-timeout=2s");

  private static TrainConfig tiny(int steps) {
    return new TrainConfig("tiny", 1337, steps, 3, 2, 3e-3f, 3e-4f, 2, 20, AdamWConfig.defaults(), 0, 2);
  }

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void aRankThatThrowsOnAnotherJvmIsReplannedAround(TestInfo test) throws Exception {
    Recovery r = runWith(test, "error:r1@4");
    assertEquals("rank-error", r.cause());
    assertTrue(r.mttrMillis() >= 0 && r.mttrMillis() < 5_000, "recovery took " + r.mttrMillis() + " ms");
  }

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void aRankThatHangsOnAnotherJvmIsFoundByTheStepDeadline(TestInfo test) throws Exception {
    Recovery r = runWith(test, "hang:r1@5");
    assertEquals("step-deadline", r.cause());
    // the deadline (5 x the median step, at least 1 s) plus the 2 s probe, on a busy machine
    assertTrue(r.detectMillis() >= 1_000 && r.detectMillis() < 15_000, "found after " + r.detectMillis() + " ms");
  }

  /** dp3 on three node JVMs, one rank each; {@code fault} hits r1 on node-1; returns its one recovery. */
  private static Recovery runWith(TestInfo test, String fault) throws Exception {
    TrainConfig config = tiny(7);
    ClusterHarness harness = ClusterHarness.start(ClusterHarness.settings(3, 1, TestCluster.logs(test))
        .plusJvmOptions(FAST_DEADLINE), TestCluster.DRIVER);
    Recovery r;
    try (harness) {
      harness.client().start(new JobSpec(config, 3, 1, ""));
      FaultScript.Outcome outcome = FaultScript.parse(fault).run(harness, config.steps());
      ReferenceRun.assertMatches(config, outcome);
      assertEquals(1, outcome.recoveries().size(), outcome.recoveries().toString());
      r = outcome.recoveries().get(0);
      assertEquals(List.of(RankId.of(1)), r.ranks());
      assertTrue(r.layout().startsWith("dp2xpp1@epoch2"), r.layout());
      assertTrue(harness.node("node-1").isAlive(), "the faulty rank's node keeps running");
    }
    assertTrue(harness.allExited(), "a node JVM outlived the harness");
    return r;
  }
}
