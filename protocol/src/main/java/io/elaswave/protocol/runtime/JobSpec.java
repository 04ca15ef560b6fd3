package io.elaswave.protocol.runtime;

import io.elaswave.engine.train.TrainConfig;
import io.elaswave.planner.recovery.RecoveryPolicies;

/**
 * A training job: the numerics-defining config and the parallel shape. {@code resumeFrom} names
 * a checkpoint directory every node can read, or is empty for a fresh start. {@code rankMemory}
 * is the bytes one rank may hold (parameters, gradients, its optimizer share and the activations
 * in flight), which every plan must fit; {@link #NO_MEMORY_CAP} for none. {@code policy} names
 * the recovery policy the scheduler plans changes with ({@link RecoveryPolicies}).
 */
public record JobSpec(TrainConfig config, int dp, int pp, String resumeFrom, long rankMemory, String policy) {
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
    RecoveryPolicies.named(policy); // a clear error naming the choices
  }

  /** A job under the default policy, ElasWave's. */
  public JobSpec(TrainConfig config, int dp, int pp, String resumeFrom, long rankMemory) {
    this(config, dp, pp, resumeFrom, rankMemory, RecoveryPolicies.NAMES.get(0));
  }

  /** A job with no memory cap, under ElasWave's policy. */
  public JobSpec(TrainConfig config, int dp, int pp, String resumeFrom) {
    this(config, dp, pp, resumeFrom, NO_MEMORY_CAP);
  }

  /** The same job under another policy. */
  public JobSpec withPolicy(String name) {
    return new JobSpec(config, dp, pp, resumeFrom, rankMemory, name);
  }

  /** The same job, resumed from {@code checkpoint} (empty: from scratch) in the shape dp × pp. */
  public JobSpec restartedAs(int newDp, int newPp, String checkpoint) {
    return new JobSpec(config, newDp, newPp, checkpoint, rankMemory, policy);
  }

  public int ranks() {
    return dp * pp;
  }
}
