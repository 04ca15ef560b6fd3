package io.elaswave.planner;

import io.elaswave.engine.model.ModelConfig;
import io.elaswave.engine.param.ParamBlocks;
import java.util.Arrays;

/**
 * What planners know about the model, per layer: compute cost (any unit, only ratios matter;
 * estimated first, measured later), memory in bytes, and parameter count, plus the canonical
 * block size that cuts each layer into ZeRO blocks. Arrays are copied in and out.
 */
public record ModelProfile(double[] layerCosts, long[] layerMemory, int[] layerSizes, int paramBlockSize) {
  public ModelProfile {
    Require.that(layerCosts != null && layerMemory != null && layerSizes != null, "profile arrays must not be null");
    Require.that(layerCosts.length > 0, "the model needs at least one layer");
    Require.that(layerMemory.length == layerCosts.length && layerSizes.length == layerCosts.length,
        "need one cost, memory figure and size per layer, got " + layerCosts.length + ", "
            + layerMemory.length + " and " + layerSizes.length);
    Require.that(paramBlockSize > 0, "paramBlockSize must be > 0, got " + paramBlockSize);
    for (int l = 0; l < layerCosts.length; l++) {
      Require.that(Double.isFinite(layerCosts[l]) && layerCosts[l] >= 0,
          "cost of layer " + l + " must be finite and >= 0, got " + layerCosts[l]);
      Require.that(layerMemory[l] >= 0, "memory of layer " + l + " must be >= 0, got " + layerMemory[l]);
      Require.that(layerSizes[l] >= 0, "size of layer " + l + " must be >= 0, got " + layerSizes[l]);
    }
    layerCosts = layerCosts.clone();
    layerMemory = layerMemory.clone();
    layerSizes = layerSizes.clone();
  }

  /** Static estimates from {@link CostModel} for a model trained with {@code dp} replicas. */
  public static ModelProfile estimate(ModelConfig config, int dp) {
    return new ModelProfile(CostModel.flopsPerToken(config), CostModel.stateBytes(config, dp),
        CostModel.paramCounts(config), config.paramBlockSize());
  }

  /** The same model with measured costs in place of the current ones. */
  public ModelProfile withCosts(double[] measured) {
    return new ModelProfile(measured, layerMemory, layerSizes, paramBlockSize);
  }

  public int layerCount() {
    return layerCosts.length;
  }

  private static final IdentityCache<ModelProfile, ParamBlocks> BLOCKS =
      new IdentityCache<>(p -> new ParamBlocks(p.paramBlockSize, p.layerSizes));

  /** The canonical blocks of this model (immutable; built once per profile: a re-plan asks several times). */
  public ParamBlocks paramBlocks() {
    return BLOCKS.get(this);
  }

  /** Σ of the costs of layers [from, to), without the copy {@link #layerCosts()} makes (hot: once per stage of a plan). */
  public double costOf(int from, int to) {
    double c = 0;
    for (int l = from; l < to; l++) {
      c += layerCosts[l];
    }
    return c;
  }

  @Override public double[] layerCosts() {
    return layerCosts.clone();
  }

  @Override public long[] layerMemory() {
    return layerMemory.clone();
  }

  @Override public int[] layerSizes() {
    return layerSizes.clone();
  }

  @Override public boolean equals(Object o) {
    return o instanceof ModelProfile p && paramBlockSize == p.paramBlockSize
        && Arrays.equals(layerCosts, p.layerCosts) && Arrays.equals(layerMemory, p.layerMemory)
        && Arrays.equals(layerSizes, p.layerSizes);
  }

  @Override public int hashCode() {
    return 31 * (31 * (31 * Arrays.hashCode(layerCosts) + Arrays.hashCode(layerMemory))
        + Arrays.hashCode(layerSizes)) + paramBlockSize;
  }

  @Override public String toString() {
    return "ModelProfile[costs=" + Arrays.toString(layerCosts) + ", memory=" + Arrays.toString(layerMemory)
        + ", sizes=" + Arrays.toString(layerSizes) + ", blockSize=" + paramBlockSize + "]";
  }
}
