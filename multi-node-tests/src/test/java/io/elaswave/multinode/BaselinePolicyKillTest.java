package io.elaswave.multinode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.elaswave.engine.optim.AdamWConfig;
import io.elaswave.engine.param.Digest;
import io.elaswave.engine.train.StepResult;
import io.elaswave.engine.train.TrainConfig;
import io.elaswave.protocol.runtime.DriverMessage;
import io.elaswave.protocol.runtime.JobSpec;
import io.elaswave.protocol.runtime.Recovery;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The TorchFT and ReCycle baselines under a SIGKILL on four node JVMs (dp2 × pp2, node-3 holds
 * replica 1's second stage): ReCycle runs the lost stage beside its peer on node-1 and every step
 * stays bitwise; TorchFT stops replica 1 and finishes on half the batch, off the reference.
 */
@Tag("multijvm")
class BaselinePolicyKillTest {
  private static final TrainConfig CONFIG =
      new TrainConfig("tiny", 1337, 6, 4, 2, 3e-3f, 3e-4f, 2, 20, AdamWConfig.defaults(), 0, 2);

  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void recycleRunsTheKilledStageOnItsPeersNodeBitwise(org.junit.jupiter.api.TestInfo test) throws Exception {
    ClusterHarness harness = ClusterHarness.start(4, 1, TestCluster.logs(test), TestCluster.DRIVER);
    try (harness) {
      harness.client().start(new JobSpec(CONFIG, 2, 2, "").withPolicy("recycle"));
      FaultScript.Outcome outcome = new FaultScript().kill("node-3", 3, Duration.ofMillis(30)).run(harness, 6);
      ReferenceRun.assertMatches(CONFIG, outcome);
      assertEquals(1, outcome.recoveries().size(), outcome.recoveries().toString());
      Recovery r = outcome.recoveries().get(0);
      assertEquals("dp2xpp2@epoch2", r.layout(), "no re-partition, no replica dropped");
      assertTrue(r.ranks().size() == 2, "the killed node's working rank and its standby rank: " + r.ranks());
      assertFalse(harness.node("node-3").isAlive());
    }
    assertTrue(harness.allExited(), "a node JVM outlived the harness");
  }

  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void torchftDropsTheHitReplicaAndFinishesOnHalfTheBatch(org.junit.jupiter.api.TestInfo test) throws Exception {
    List<StepResult> reference = ReferenceRun.of(CONFIG);
    ClusterHarness harness = ClusterHarness.start(4, 1, TestCluster.logs(test), TestCluster.DRIVER);
    try (harness) {
      harness.client().start(new JobSpec(CONFIG, 2, 2, "").withPolicy("torchft"));
      FaultScript.Outcome outcome = new FaultScript().kill("node-3", 3, Duration.ofMillis(30)).run(harness, 6);
      assertEquals(1, outcome.recoveries().size(), outcome.recoveries().toString());
      long redone = outcome.recoveries().get(0).abandonedStep();
      for (long s = 1; s <= 6; s++) {
        DriverMessage.StepCommitted got = outcome.commits().get(s);
        StepResult want = reference.get((int) s - 1);
        if (s < redone) {
          assertEquals(Digest.hex(want.digest()), Digest.hex(got.digest()), "step " + s + " before the kill");
        } else {
          assertEquals(want.tokens() / 2, got.tokens(), "step " + s + " runs one replica's ids");
          assertTrue(got.layout().startsWith("dp1xpp2"), got.layout());
        }
        if (s > redone) {
          assertNotEquals(Digest.hex(want.digest()), Digest.hex(got.digest()), "step " + s + " left the reference");
        }
      }
    }
    assertTrue(harness.allExited(), "a node JVM outlived the harness");
  }
}
