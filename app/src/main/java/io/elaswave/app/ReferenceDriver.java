package io.elaswave.app;

import io.elaswave.engine.data.Corpus;
import io.elaswave.engine.model.Model;
import io.elaswave.engine.param.Digest;
import io.elaswave.engine.train.Checkpoint;
import io.elaswave.engine.train.ReferenceTrainer;
import io.elaswave.engine.train.StepResult;
import io.elaswave.engine.train.TrainConfig;
import io.elaswave.engine.train.TrainState;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Drives the single-threaded {@link ReferenceTrainer}. A resumed driver rebuilds the trainer from
 * the checkpoint's config and continues from its state, which the engine guarantees reproduces
 * the uninterrupted run bit for bit.
 */
final class ReferenceDriver implements TrainingDriver {
  private final ReferenceTrainer trainer;
  private final String vocab;
  private TrainState state;

  private ReferenceDriver(ReferenceTrainer trainer, String vocab, TrainState state) {
    this.trainer = trainer;
    this.vocab = vocab;
    this.state = state;
  }

  static ReferenceDriver fresh(TrainConfig config, Corpus corpus) {
    ReferenceTrainer trainer = new ReferenceTrainer(config, corpus);
    return new ReferenceDriver(trainer, corpus.vocab().chars(), trainer.initialState());
  }

  /**
   * Continues {@code checkpoint} under {@code config}, which must be the checkpoint's config up to
   * the step count and evaluation cadence.
   */
  static ReferenceDriver resume(TrainConfig config, Corpus corpus, Checkpoint checkpoint, Path from) {
    checkResumable(corpus, checkpoint, from);
    return new ReferenceDriver(new ReferenceTrainer(config, corpus), checkpoint.vocab(), checkpoint.state());
  }

  /** Rejects a checkpoint made on another vocabulary or for another model shape. */
  static void checkResumable(Corpus corpus, Checkpoint checkpoint, Path from) {
    if (!checkpoint.vocab().equals(corpus.vocab().chars())) {
      throw new InputException("--resume: " + from + " was trained on a different vocabulary ("
          + checkpoint.vocab().length() + " characters) than the bundled corpus (" + corpus.vocab().size() + ")");
    }
    CheckpointInput.model(checkpoint, from, "--resume");
  }

  @Override
  public String description() {
    TrainConfig c = trainer.config();
    Model model = trainer.model();
    int seqLen = model.config().seqLen();
    return String.format(Locale.ROOT,
        "reference trainer: model %s (%,d params), %d micro-batches x %d x %d tokens = %d tokens/step, seed %d,"
            + " lr %.2e",
        c.model(), model.paramCount(), c.microBatches(), c.microBatchSize(), seqLen, c.tokensPerStep(seqLen),
        c.seed(), c.lr());
  }

  @Override
  public long committedSteps() {
    return state.step();
  }

  @Override
  public StepResult step() {
    StepResult result = trainer.step(state);
    state = state.atStep(result.step());
    return result;
  }

  @Override
  public float evaluate() {
    return trainer.evaluate(state);
  }

  @Override
  public TrainState committedState() {
    return state;
  }

  @Override
  public Path writeCheckpoint(Path root) {
    return new Checkpoint(trainer.config(), vocab, state).write(root);
  }

  @Override
  public long digest() {
    return Digest.ofModel(trainer.blocks(), state.params());
  }
}
