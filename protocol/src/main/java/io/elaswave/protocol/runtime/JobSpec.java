package io.elaswave.protocol.runtime;

import io.elaswave.engine.train.TrainConfig;

/**
 * A training job: the numerics-defining config and the parallel shape. {@code resumeFrom} names
 * a checkpoint directory every node can read, or is empty for a fresh start.
 */
public record JobSpec(TrainConfig config, int dp, int pp, String resumeFrom) {
  public JobSpec {
    if (dp < 1 || pp < 1) {
      throw new IllegalArgumentException("--dp and --pp must be >= 1");
    }
    resumeFrom = resumeFrom == null ? "" : resumeFrom;
  }

  public int ranks() {
    return dp * pp;
  }
}
