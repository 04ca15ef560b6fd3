package io.elaswave.sim;

/**
 * One simulated job: the model, the machines, their failures and slowdowns, the shape (dp × pp over every
 * accelerator, G micro-batches a step), how many simulated days, which recovery policy, the seed
 * of the failure draws (the same seed gives every policy the same failures and repairs), and
 * what a plan costs.
 */
public record SimConfig(ModelPreset model, Hardware hardware, FailureModel failures, SlowdownModel slowdowns,
    int accelerators, int dp, int pp, int microBatches, double days, String policy, long seed, PlanTime planTime) {
  /** A job whose nodes fail but never turn slow. */
  public SimConfig(ModelPreset model, Hardware hardware, FailureModel failures, int accelerators, int dp, int pp,
      int microBatches, double days, String policy, long seed, PlanTime planTime) {
    this(model, hardware, failures, SlowdownModel.NONE, accelerators, dp, pp, microBatches, days, policy, seed,
        planTime);
  }

  public SimConfig {
    if (accelerators < 1 || accelerators % hardware.acceleratorsPerNode() != 0) {
      throw new IllegalArgumentException("--accelerators must be a multiple of the " + hardware.acceleratorsPerNode()
          + " accelerators of a node, got " + accelerators);
    }
    if (dp < 1 || pp < 1 || (long) dp * pp != accelerators) {
      throw new IllegalArgumentException("--dp × --pp must use every accelerator: " + dp + " × " + pp + " = "
          + (long) dp * pp + ", not " + accelerators);
    }
    if (pp > model.layerCount()) {
      throw new IllegalArgumentException("--pp " + pp + " exceeds the " + model.layerCount() + " layers of "
          + model.name());
    }
    if (microBatches < dp) {
      throw new IllegalArgumentException("--micro-batches must be >= --dp (" + dp + "), got " + microBatches);
    }
    if (!(days > 0) || days > 3650) {
      throw new IllegalArgumentException("--days must be in (0, 3650], got " + days);
    }
  }

  public int nodes() {
    return accelerators / hardware.acceleratorsPerNode();
  }
}
