package io.elaswave.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.elaswave.actors.client.JobClient;
import io.elaswave.actors.client.JobRestartException;
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
 * The baseline policies end to end on one JVM, dp2 × pp2 with rank r1 (replica 0, stage 1)
 * failing in step 4: ReCycle's stand-in keeps every step bitwise; TorchFT drops replica 0 and
 * trains on half the batch, so it leaves the reference; restart ends the job, which starts
 * again and redoes the steps bitwise.
 */
class BaselinePolicyRunTest {
  private static final TrainConfig CONFIG = RuntimeFixture.tiny(4, 7);
  private static final Fault.RankError FAULT = new Fault.RankError(RankId.of(1), 4);
  private static ActorSystem<?> system;
  private static JobClient client;
  private static List<StepResult> expected;

  @BeforeAll
  static void start() {
    system = RuntimeFixture.embedded(4);
    client = new JobClient(system);
    expected = RuntimeFixture.reference(CONFIG);
  }

  @AfterAll
  static void stop() {
    ActorTestKit.shutdown(system);
  }

  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void recycleRunsTheLostStageBesideItsPeerBitwise() {
    client.start(new JobSpec(CONFIG, 2, 2, "").withPolicy("recycle"));
    List<Recovery> recoveries = new ArrayList<>();
    try {
      for (StepResult want : expected) {
        DriverMessage.StepCommitted got = step(want.step());
        recoveries.addAll(got.recoveries());
        assertBitwise(want, got);
        assertEquals(want.tokens(), got.tokens(), "recycle keeps the global batch");
      }
    } finally {
      client.stop();
    }
    assertEquals(1, recoveries.size(), recoveries.toString());
    assertEquals("rank-error", recoveries.get(0).cause());
    assertEquals("dp2xpp2@epoch2", recoveries.get(0).layout(), "no re-partition");
  }

  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void torchftDropsTheHitReplicaAndTrainsOnHalfTheBatch() {
    client.start(new JobSpec(CONFIG, 2, 2, "").withPolicy("torchft"));
    try {
      for (StepResult want : expected) {
        DriverMessage.StepCommitted got = step(want.step());
        if (want.step() < FAULT.step()) {
          assertBitwise(want, got);
        } else {
          assertEquals(want.tokens() / 2, got.tokens(), "step " + want.step() + " runs replica 1's ids only");
          assertTrue(got.layout().startsWith("dp1xpp2"), got.layout());
          assertTrue(Float.isFinite(got.loss()));
          if (want.step() > FAULT.step()) { // step 4's update used half the batch
            assertNotEquals(Digest.hex(want.digest()), Digest.hex(got.digest()), "step " + want.step());
            assertNotEquals(want.loss(), got.loss(), "step " + want.step());
          }
        }
      }
    } finally {
      client.stop();
    }
  }

  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void restartEndsTheJobWhichStartsAgainAndRedoesTheStepsBitwise() {
    JobSpec spec = new JobSpec(CONFIG, 2, 2, "").withPolicy("restart");
    client.start(spec);
    JobRestartException restart = null;
    try {
      for (StepResult want : expected.subList(0, (int) FAULT.step())) {
        if (want.step() < FAULT.step()) {
          assertBitwise(want, step(want.step()));
        } else {
          restart = assertThrows(JobRestartException.class, () -> step(want.step()));
        }
      }
      assertEquals(3, restart.notice().committed());
      assertEquals(List.of(1, 2), List.of(restart.notice().dp(), restart.notice().pp()));
      assertTrue(restart.getMessage().contains("restart: lost [r1]"), restart.getMessage());
      DriverMessage.JobStarted again = client.start(spec.restartedAs(1, 2, ""));
      assertEquals(0, again.step(), "no checkpoint: from scratch");
      assertEquals("dp1xpp2@epoch1", again.layout());
      for (StepResult want : expected) { // steps 1-3 redone, then on to the end
        assertBitwise(want, client.step(want.step()));
      }
    } finally {
      client.stop();
    }
  }

  private static DriverMessage.StepCommitted step(long step) {
    if (step == FAULT.step()) {
      client.injectFault(FAULT);
    }
    return client.step(step);
  }

  private static void assertBitwise(StepResult want, DriverMessage.StepCommitted got) {
    assertEquals(Digest.hex(want.digest()), Digest.hex(got.digest()), "digest of step " + want.step());
    assertEquals(Float.floatToRawIntBits(want.loss()), Float.floatToRawIntBits(got.loss()),
        "loss of step " + want.step());
  }
}
