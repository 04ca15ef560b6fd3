package io.elaswave.planner.recovery;

import io.elaswave.planner.ModelProfile;
import io.elaswave.planner.StagePartitioner;

/**
 * What the policy knows about costs: the model's per-layer cost and memory profile (the FLOP
 * estimate until ranks report measured times) and each rank's memory cap.
 */
public record Measurements(ModelProfile profile, long memoryCap) {
  public static Measurements estimated(ModelProfile profile) {
    return new Measurements(profile, StagePartitioner.NO_MEMORY_CAP);
  }
}
