package io.elaswave.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.elaswave.engine.optim.AdamWConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReferenceTrainerTest {

  @Test
  void twoRunsGiveIdenticalDigestSequences() {
    List<Long> first = digestsOf(TinyRuns.tiny(8));
    List<Long> second = digestsOf(TinyRuns.tiny(8));
    assertEquals(first, second);
    assertEquals(8, first.stream().distinct().count(), "every step must change the parameters");
  }

  @Test
  void theSeedChangesTheRun() {
    TrainConfig other = new TrainConfig("tiny", 7, 3, 4, 4, 3e-3f, 3e-4f, 20, 300, AdamWConfig.defaults(), 0, 8);
    assertNotEquals(digestsOf(TinyRuns.tiny(3)), digestsOf(other));
  }

  @Test
  void tinyTrainingLowersTheLoss() {
    ReferenceTrainer trainer = new ReferenceTrainer(TinyRuns.tiny(60), TinyRuns.CORPUS);
    TrainState[] state = {trainer.initialState()};
    float before = trainer.evaluate(state[0]);
    List<StepResult> results = TinyRuns.run(trainer, state, 60);
    float after = trainer.evaluate(state[0]);
    double firstLosses = results.subList(0, 5).stream().mapToDouble(StepResult::loss).average().orElseThrow();
    double lastLosses = results.subList(55, 60).stream().mapToDouble(StepResult::loss).average().orElseThrow();
    assertTrue(lastLosses < firstLosses - 0.7, "train loss " + firstLosses + " -> " + lastLosses);
    assertTrue(after < before - 0.7, "validation loss " + before + " -> " + after);
  }

  private static List<Long> digestsOf(TrainConfig config) {
    ReferenceTrainer trainer = new ReferenceTrainer(config, TinyRuns.CORPUS);
    TrainState[] state = {trainer.initialState()};
    return TinyRuns.digests(TinyRuns.run(trainer, state, config.steps()));
  }
}
