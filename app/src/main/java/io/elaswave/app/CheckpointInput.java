package io.elaswave.app;

import io.elaswave.engine.data.CharVocab;
import io.elaswave.engine.model.Model;
import io.elaswave.engine.train.Checkpoint;
import io.elaswave.engine.train.CheckpointException;
import io.elaswave.engine.train.TrainState;
import java.nio.file.Path;

/**
 * Checkpoints given on the command line. Every way one can be unusable (missing, corrupt, from
 * another model or vocabulary) becomes an {@link InputException} that names the flag, so it is
 * reported in one line before anything is written.
 */
final class CheckpointInput {
  private CheckpointInput() {}

  static Checkpoint read(Path path, String flag) {
    try {
      return Checkpoint.read(path);
    } catch (CheckpointException e) {
      throw new InputException(flag + ": " + e.getMessage(), e);
    }
  }

  /** The checkpoint's vocabulary; the engine already validated it while reading. */
  static CharVocab vocab(Checkpoint checkpoint) {
    return CharVocab.fromChars(checkpoint.vocab());
  }

  /**
   * The model the checkpoint's config names, after checking that the stored parameters fit it.
   * The checksum proves the file is intact, not that its shapes match this build's presets.
   */
  static Model model(Checkpoint checkpoint, Path path, String flag) {
    Model model;
    try {
      model = new Model(checkpoint.config().modelConfig(checkpoint.vocab().length()));
    } catch (IllegalArgumentException e) {
      throw new InputException(flag + ": " + path + " has an unusable model config: " + e.getMessage(), e);
    }
    TrainState state = checkpoint.state();
    if (state.params().length != model.layerCount()) {
      throw new InputException(flag + ": " + path + " has " + state.params().length + " layers, model '"
          + model.config().name() + "' has " + model.layerCount());
    }
    for (int l = 0; l < model.layerCount(); l++) {
      int expected = model.layer(l).paramCount();
      if (state.params()[l].length != expected) {
        throw new InputException(flag + ": " + path + " layer " + l + " has " + state.params()[l].length
            + " parameters, model '" + model.config().name() + "' expects " + expected);
      }
    }
    return model;
  }
}
