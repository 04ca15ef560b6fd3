package io.elaswave.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.elaswave.engine.train.TrainConfig;
import org.junit.jupiter.api.Test;

class ConfigOverridesTest {
  private static ConfigOverrides none() {
    return new ConfigOverrides(null, null, null, null, null, null, null);
  }

  @Test
  void noFlagsMeansTheSmallPresetDefaults() {
    assertEquals(TrainConfig.defaults("small"), none().fresh());
  }

  @Test
  void stepsKeepThePresetScheduleAndLrKeepsTheFloorRatio() {
    TrainConfig c = new ConfigOverrides("tiny", 30, null, null, null, 1e-2f, null).fresh();
    TrainConfig preset = TrainConfig.defaults("tiny");
    assertEquals(30, c.steps());
    assertEquals(preset.decaySteps(), c.decaySteps());
    assertEquals(1e-2f, c.lr());
    assertEquals(1e-2f / 10f, c.minLr());
    // Repeating the preset's lr explicitly gives the very same config.
    assertEquals(preset, new ConfigOverrides("tiny", null, null, null, null, preset.lr(), null).fresh());
  }

  @Test
  void resumeAcceptsEqualNumericsAndNewStepsButNotOtherNumerics() {
    TrainConfig ck = TrainConfig.defaults("tiny").withSteps(20);
    TrainConfig same = new ConfigOverrides("tiny", 40, 4, 4, 1337L, ck.lr(), 5).resumed(ck, 10);
    assertEquals(ck.withSteps(40).withEvalEvery(5), same);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ConfigOverrides(null, null, 8, null, null, null, null).resumed(ck, 10));
    assertEquals("--micro-batches 8 conflicts with the checkpoint's 4; when resuming, omit --micro-batches or"
        + " give the checkpoint's value", e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> new ConfigOverrides(null, null, null, null, null, 1e-3f, null).resumed(ck, 10));
    assertThrows(IllegalArgumentException.class,
        () -> new ConfigOverrides(null, 5, null, null, null, null, null).resumed(ck, 10));
  }
}
