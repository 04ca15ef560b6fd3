package io.elaswave.actors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.elaswave.actors.client.JobClient;
import io.elaswave.actors.client.JobException;
import io.elaswave.engine.param.Digest;
import io.elaswave.engine.train.ReferenceTrainer;
import io.elaswave.engine.train.StepResult;
import io.elaswave.engine.train.TrainConfig;
import io.elaswave.engine.train.TrainState;
import io.elaswave.actors.rank.SharedCorpus;
import io.elaswave.protocol.runtime.DriverMessage;
import io.elaswave.protocol.runtime.JobSpec;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The runtime on one JVM, every message through the serializer: for each layout (dp × pp) and
 * micro-batch count (divisible by dp or not), every step's loss and digest equal the reference
 * trainer's, bit for bit.
 */
class EmbeddedRuntimeTest {
  private static ActorSystem<?> system;
  private static JobClient client;

  @BeforeAll
  static void start() {
    system = RuntimeFixture.embedded(6);
    client = new JobClient(system);
  }

  @AfterAll
  static void stop() {
    ActorTestKit.shutdown(system);
  }

  @ParameterizedTest(name = "dp{0} x pp{1}, G={2}")
  @CsvSource({"1,1,4", "2,1,4", "2,1,5", "1,2,4", "2,2,4", "2,2,5", "1,3,3", "2,3,4", "2,3,5", "3,1,4"})
  void everyStepMatchesTheReferenceBitwise(int dp, int pp, int microBatches) {
    TrainConfig config = RuntimeFixture.tiny(microBatches, 3);
    List<StepResult> expected = RuntimeFixture.reference(config);
    DriverMessage.JobStarted started = client.start(new JobSpec(config, dp, pp, ""));
    try {
      assertTrue(started.layout().startsWith("dp" + dp + "xpp" + pp), started.layout());
      for (StepResult want : expected) {
        DriverMessage.StepCommitted got = client.step(want.step());
        assertEquals(Digest.hex(want.digest()), Digest.hex(got.digest()), "digest of step " + want.step());
        assertEquals(Float.floatToRawIntBits(want.loss()), Float.floatToRawIntBits(got.loss()),
            "loss of step " + want.step());
        assertEquals(want.gradNorm(), got.gradNorm(), "grad norm of step " + want.step());
        assertEquals(want.lr(), got.lr());
      }
    } finally {
      client.stop();
    }
  }

  @Test
  void collectedStateEqualsTheReferenceState() {
    TrainConfig config = RuntimeFixture.tiny(4, 2);
    ReferenceTrainer trainer = new ReferenceTrainer(config, SharedCorpus.get());
    TrainState want = trainer.initialState();
    want = want.atStep(trainer.step(want).step());
    want = want.atStep(trainer.step(want).step());
    client.start(new JobSpec(config, 2, 2, ""));
    try {
      client.step(1);
      client.step(2);
      TrainState got = client.collectState();
      assertEquals(2, got.step());
      for (int l = 0; l < want.params().length; l++) {
        assertArrayEquals(want.params()[l], got.params()[l], "params of layer " + l);
        assertArrayEquals(want.m()[l], got.m()[l], "first moment of layer " + l);
        assertArrayEquals(want.v()[l], got.v()[l], "second moment of layer " + l);
      }
      assertEquals(client.step(2).digest(), client.step(2).digest(), "a committed step answers again");
    } finally {
      client.stop();
    }
  }

  @Test
  void impossibleJobsAreRefusedWithTheReason() {
    JobException tooMany = assertThrows(JobException.class,
        () -> client.start(new JobSpec(RuntimeFixture.tiny(4, 1), 4, 2, "")));
    assertTrue(tooMany.getMessage().contains("room for 6 after waiting"), tooMany.getMessage());
    JobException deep = assertThrows(JobException.class,
        () -> client.start(new JobSpec(RuntimeFixture.tiny(4, 1), 1, 5, "")));
    assertTrue(deep.getMessage().contains("layer"), deep.getMessage());
    JobException starved = assertThrows(JobException.class,
        () -> client.start(new JobSpec(RuntimeFixture.tiny(2, 1), 3, 1, "")));
    assertTrue(starved.getMessage().contains("micro"), starved.getMessage());
  }
}
