package io.elaswave.multinode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.elaswave.engine.optim.AdamWConfig;
import io.elaswave.engine.param.Digest;
import io.elaswave.engine.train.StepResult;
import io.elaswave.engine.train.TrainConfig;
import io.elaswave.protocol.runtime.DriverMessage;
import io.elaswave.protocol.runtime.JobSpec;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The runtime across JVMs: tensors cross Artery through the Kryo binding, and every step's
 * digest and loss still equal the reference trainer's; afterwards no node JVM is left.
 */
@Tag("multijvm")
class MultiJvmRuntimeTest {


  @ParameterizedTest(name = "{0} JVMs, dp{1} x pp{2}, G={3}")
  @CsvSource({"2,1,2,4", "3,3,1,4", "3,2,3,5"})
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void digestsAcrossJvmsEqualTheReference(int nodes, int dp, int pp, int microBatches,
      org.junit.jupiter.api.TestInfo test) throws Exception {
    TrainConfig config = new TrainConfig("tiny", 1337, 4, microBatches, 2, 3e-3f, 3e-4f, 2, 20,
        AdamWConfig.defaults(), 0, 2);
    List<StepResult> expected = ReferenceRun.of(config);
    ClusterHarness harness = ClusterHarness.start(nodes, (dp * pp + nodes - 1) / nodes, TestCluster.logs(test),
        TestCluster.DRIVER);
    try (harness) {
      DriverMessage.JobStarted started = harness.client().start(new JobSpec(config, dp, pp, ""));
      assertTrue(started.layout().startsWith("dp" + dp + "xpp" + pp), started.layout());
      for (StepResult want : expected) {
        DriverMessage.StepCommitted got = harness.client().step(want.step());
        assertEquals(Digest.hex(want.digest()), Digest.hex(got.digest()), "digest of step " + want.step());
        assertEquals(Float.floatToRawIntBits(want.loss()), Float.floatToRawIntBits(got.loss()));
        assertTrue(got.bytes() > 0, "tensors must have crossed between ranks");
      }
    }
    assertTrue(harness.allExited(), "a node JVM outlived the harness");
  }

  /**
   * Artery's large frame cut to 40 000 bytes and messages to 8192 floats: every activation of
   * this job (40 sequences x 16 x 32 = 20 480 floats, 80 KiB) is twice a frame, and crosses in
   * pieces under the credit window — still bitwise.
   */
  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void anActivationLargerThanTheFrameCrossesInPieces(org.junit.jupiter.api.TestInfo test) throws Exception {
    TrainConfig config = new TrainConfig("tiny", 1337, 3, 2, 40, 3e-3f, 3e-4f, 2, 20, AdamWConfig.defaults(), 0, 2);
    List<StepResult> expected = ReferenceRun.of(config);
    ClusterHarness harness = ClusterHarness.start(ClusterHarness.settings(2, 1, TestCluster.logs(test))
        .plusJvmOptions(List.of("-Dpekko.remote.artery.advanced.maximum-large-frame-size=40000",
            "-Delaswave.max-floats-per-message=8192", "-Delaswave.piece-window=1")), TestCluster.DRIVER);
    try (harness) {
      assertTrue(harness.client().start(new JobSpec(config, 1, 2, "")).layout().startsWith("dp1xpp2"));
      for (StepResult want : expected) {
        DriverMessage.StepCommitted got = harness.client().step(want.step());
        assertEquals(Digest.hex(want.digest()), Digest.hex(got.digest()), "digest of step " + want.step());
        assertEquals(Float.floatToRawIntBits(want.loss()), Float.floatToRawIntBits(got.loss()));
      }
    }
    assertTrue(harness.allExited(), "a node JVM outlived the harness");
  }
}
