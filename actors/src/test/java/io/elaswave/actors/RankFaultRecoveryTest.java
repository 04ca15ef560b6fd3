package io.elaswave.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.elaswave.actors.client.JobClient;
import io.elaswave.engine.param.Digest;
import io.elaswave.engine.train.StepResult;
import io.elaswave.engine.train.TrainConfig;
import io.elaswave.planner.RankId;
import io.elaswave.protocol.fault.Fault;
import io.elaswave.protocol.runtime.DriverMessage;
import io.elaswave.protocol.runtime.JobSpec;
import io.elaswave.protocol.runtime.Recovery;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Faults that are not deaths, on one JVM: a rank that throws is reported by its node's
 * guardian and re-planned around at once; a rank that hangs is found by the step deadline and
 * its probe. Either way the step in flight is redone and every step equals the reference.
 */
class RankFaultRecoveryTest {
  private static ActorSystem<?> system;
  private static JobClient client;

  @BeforeAll
  static void start() {
    system = RuntimeFixture.embedded(4, """
        elaswave.step-deadline { floor = 300ms, first-steps = 3s, probe-timeout = 1s }
        """);
    client = new JobClient(system);
  }

  @AfterAll
  static void stop() {
    ActorTestKit.shutdown(system);
  }

  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void aRankThatThrowsIsReplannedAroundBitwise() {
    List<Recovery> recoveries = run(new Fault.RankError(RankId.of(1), 4));
    assertEquals(1, recoveries.size(), recoveries.toString());
    Recovery r = recoveries.get(0);
    assertEquals("rank-error", r.cause());
    assertEquals(List.of(RankId.of(1)), r.ranks());
    assertEquals(4, r.abandonedStep());
  }

  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void aRankThatHangsIsFoundByTheStepDeadlineAndReplannedAroundBitwise() {
    long t0 = System.currentTimeMillis();
    List<Recovery> recoveries = run(new Fault.RankHang(RankId.of(2), 4));
    assertEquals(1, recoveries.size(), recoveries.toString());
    Recovery r = recoveries.get(0);
    assertEquals("step-deadline", r.cause());
    assertEquals(List.of(RankId.of(2)), r.ranks());
    assertEquals(4, r.abandonedStep());
    assertTrue(r.faultAtMillis() >= t0 && r.detectMillis() >= 0, r.toString());
    // deadline (first steps: 3 s at most, then 5 x median with a 300 ms floor) plus a 1 s probe
    assertTrue(r.detectMillis() < 4_500, "the hang was found after " + r.detectMillis() + " ms");
  }

  /** Runs 7 steps of dp2 x pp2 with {@code fault} armed before its step; returns the recoveries. */
  private static List<Recovery> run(Fault.RankFault fault) {
    TrainConfig config = RuntimeFixture.tiny(4, 7);
    List<StepResult> expected = RuntimeFixture.reference(config);
    client.start(new JobSpec(config, 2, 2, ""));
    List<Recovery> recoveries = new ArrayList<>();
    try {
      for (StepResult want : expected) {
        if (want.step() == fault.step()) {
          client.injectFault(fault);
        }
        DriverMessage.StepCommitted got = client.step(want.step());
        recoveries.addAll(got.recoveries());
        assertEquals(Digest.hex(want.digest()), Digest.hex(got.digest()), "digest of step " + want.step());
        assertEquals(Float.floatToRawIntBits(want.loss()), Float.floatToRawIntBits(got.loss()),
            "loss of step " + want.step());
      }
    } finally {
      client.stop();
    }
    return recoveries;
  }
}
