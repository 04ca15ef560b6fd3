package io.elaswave.protocol.runtime;

import io.elaswave.engine.train.TrainConfig;

/**
 * A training job: the numerics-defining config and the parallel shape. {@code resumeFrom} names
 * a checkpoint directory every node can read, or is empty for a fresh start. {@code rankMemory}
 * is the bytes one rank may hold (parameters, gradients, its optimizer share and the activations
 * in flight), which every plan must fit; {@link #NO_MEMORY_CAP} for none.
 */
public record JobSpec(TrainConfig config, int dp, int pp, String resumeFrom, long rankMemory) {
  /** A memory cap that never binds. */
  public static final long NO_MEMORY_CAP = Long.MAX_VALUE;

  public JobSpec {
    if (dp < 1 || pp < 1) {
      throw new IllegalArgumentException("--dp and --pp must be >= 1");
    }
    if (rankMemory < 1) {
      throw new IllegalArgumentException("--rank-memory must be > 0 bytes, got " + rankMemory);
    }
    resumeFrom = resumeFrom == null ? "" : resumeFrom;
  }

  /** A job with no memory cap. */
  public JobSpec(TrainConfig config, int dp, int pp, String resumeFrom) {
    this(config, dp, pp, resumeFrom, NO_MEMORY_CAP);
  }

  public int ranks() {
    return dp * pp;
  }
}
