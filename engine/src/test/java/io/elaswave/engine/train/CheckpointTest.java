package io.elaswave.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {
  @TempDir Path dir;

  @Test
  void resumingFromStepFiveReproducesTheUninterruptedDigests() {
    TrainConfig config = TinyRuns.tiny(10);
    ReferenceTrainer trainer = new ReferenceTrainer(config, TinyRuns.CORPUS);
    TrainState[] state = {trainer.initialState()};
    List<StepResult> firstHalf = TinyRuns.run(trainer, state, 5);
    String vocab = TinyRuns.CORPUS.vocab().chars();
    Path written = new Checkpoint(config, vocab, state[0]).write(dir);
    List<Long> uninterrupted = TinyRuns.digests(TinyRuns.run(trainer, state, 5));

    Checkpoint loaded = Checkpoint.read(dir); // through the 'latest' pointer
    assertEquals(written, dir.resolve("step-000005"));
    assertEquals(5, loaded.state().step());
    assertEquals(config, loaded.config());
    ReferenceTrainer resumed = new ReferenceTrainer(loaded.config(), TinyRuns.CORPUS);
    TrainState[] resumedState = {loaded.state()};
    assertEquals(uninterrupted, TinyRuns.digests(TinyRuns.run(resumed, resumedState, 5)));
    assertEquals(5, firstHalf.size());
  }

  @Test
  void corruptTruncatedOrMissingCheckpointsAreRejectedClearly() throws IOException {
    TrainConfig config = TinyRuns.tiny(2);
    ReferenceTrainer trainer = new ReferenceTrainer(config, TinyRuns.CORPUS);
    TrainState[] state = {trainer.initialState()};
    TinyRuns.run(trainer, state, 1);
    Path ck = new Checkpoint(config, TinyRuns.CORPUS.vocab().chars(), state[0]).write(dir);
    Path file = ck.resolve("state.bin");
    byte[] good = Files.readAllBytes(file);

    byte[] flipped = good.clone();
    flipped[good.length / 2] ^= 0x10;
    Files.write(file, flipped);
    assertMessage(ck, "checksum");

    Files.write(file, java.util.Arrays.copyOf(good, good.length - 100));
    assertMessage(ck, "truncated");

    byte[] badMagic = good.clone();
    badMagic[0] = 'X';
    Files.write(file, badMagic);
    assertMessage(ck, "not an elaswave checkpoint");

    assertMessage(dir.resolve("nowhere"), "no checkpoint at");
  }

  private static void assertMessage(Path path, String fragment) {
    CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.read(path));
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
  }
}
