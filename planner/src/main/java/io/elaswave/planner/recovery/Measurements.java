package io.elaswave.planner.recovery;

import io.elaswave.planner.ModelProfile;
import io.elaswave.planner.RankId;
import io.elaswave.planner.Require;
import io.elaswave.planner.StagePartitioner;
import java.util.Arrays;
import java.util.Map;

/**
 * What a plan is made from: the model's per-layer cost (time per micro-batch at speed 1,
 * measured, or the FLOP estimate before any step is), state bytes and parameter counts; each
 * rank's measured speed relative to the typical rank (1 for a rank not yet measured); each
 * layer's activation bytes per micro-batch in flight; and the memory one rank may use.
 *
 * @param measuredSteps how many steps the figures come from (0: all estimated)
 */
public record Measurements(ModelProfile profile, Map<RankId, Double> speeds, long[] activationBytes, long memoryCap,
    int measuredSteps) {
  public Measurements {
    Require.that(profile != null, "need a model profile");
    Require.that(activationBytes != null && activationBytes.length == profile.layerCount(),
        "need one activation figure per layer");
    Require.that(memoryCap > 0, "memory cap must be > 0 bytes, got " + memoryCap);
    speeds.forEach((r, v) -> Require.that(Double.isFinite(v) && v > 0, "speed of " + r + " must be > 0, got " + v));
    speeds = Map.copyOf(speeds);
    activationBytes = activationBytes.clone();
  }

  /** The FLOP estimate, every rank at speed 1, no activations and no memory cap. */
  public static Measurements estimated(ModelProfile profile) {
    return new Measurements(profile, Map.of(), new long[profile.layerCount()], StagePartitioner.NO_MEMORY_CAP, 0);
  }

  /** The FLOP estimate with estimated activations under a memory cap. */
  public static Measurements estimated(ModelProfile profile, long[] activationBytes, long memoryCap) {
    return new Measurements(profile, Map.of(), activationBytes, memoryCap, 0);
  }

  /** The rank's speed: 1 until it has been measured. */
  public double speed(RankId rank) {
    Double measured = speeds.get(rank); // not getOrDefault(rank, 1.0): that boxes 1.0 on every call
    return measured == null ? 1.0 : measured;
  }

  @Override public long[] activationBytes() {
    return activationBytes.clone();
  }

  @Override public boolean equals(Object o) {
    return o instanceof Measurements m && profile.equals(m.profile) && speeds.equals(m.speeds)
        && Arrays.equals(activationBytes, m.activationBytes) && memoryCap == m.memoryCap
        && measuredSteps == m.measuredSteps;
  }

  @Override public int hashCode() {
    return (31 * profile.hashCode() + speeds.hashCode()) * 31 + Arrays.hashCode(activationBytes);
  }

  @Override public String toString() {
    return "Measurements[steps=" + measuredSteps + ", costs=" + Arrays.toString(profile.layerCosts()) + ", speeds="
        + speeds + ", activations=" + Arrays.toString(activationBytes) + ", cap=" + memoryCap + "]";
  }
}
