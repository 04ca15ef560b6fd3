package io.elaswave.planner;

import io.elaswave.engine.model.Model;
import io.elaswave.engine.model.ModelConfig;

/**
 * Static per-layer estimates for a first plan, before any step has been measured. Only ratios
 * between layers matter to the partitioner, so compute is counted as matrix-multiply FLOPs per
 * token (forward + backward ≈ 3 × forward); element-wise work is second-order and left out,
 * except for the embedding, which has no matmul and would otherwise look free.
 */
public final class CostModel {
  private static final int FLOAT_BYTES = 4;

  private CostModel() {}

  /** Training FLOPs per token of each layer, in pipeline order. */
  public static double[] flopsPerToken(ModelConfig config) {
    double d = config.dim();
    double t = config.seqLen();
    double v = config.vocab();
    double[] flops = new double[config.layerCount()];
    flops[0] = 2 * d; // gather + scatter-add of one row of wte and wpe
    // qkv 6d² + proj 2d² + fc 8d² + fc-proj 8d², plus QKᵀ and AV at 2·T·d each (full, unmasked)
    double block = 3 * (24 * d * d + 4 * t * d);
    for (int l = 1; l <= config.blocks(); l++) {
      flops[l] = block;
    }
    flops[config.layerCount() - 1] = 3 * (2 * d * v); // the LM-head matmul dominates the head
    return flops;
  }

  /** Float parameters of each layer, exactly as the engine lays them out. */
  public static int[] paramCounts(ModelConfig config) {
    Model model = new Model(config);
    int[] sizes = new int[model.layerCount()];
    for (int l = 0; l < sizes.length; l++) {
      sizes[l] = model.layer(l).paramCount();
    }
    return sizes;
  }

  /**
   * Bytes one rank needs per layer it holds: float parameters and gradients in full, plus its
   * ZeRO-1 share (1/dp, rounded up) of the two AdamW moments. Activations are left out: they
   * depend on the micro-batch size and the schedule's in-flight count, not on the partition alone.
   */
  public static long[] stateBytes(ModelConfig config, int dp) {
    Require.that(dp >= 1, "dp must be >= 1, got " + dp);
    int[] sizes = paramCounts(config);
    long[] bytes = new long[sizes.length];
    for (int l = 0; l < sizes.length; l++) {
      long n = sizes[l];
      long moments = 2L * FLOAT_BYTES * n;
      bytes[l] = 2L * FLOAT_BYTES * n + (moments + dp - 1) / dp;
    }
    return bytes;
  }

  /**
   * Bytes a forward of each layer keeps per micro-batch of {@code sequences} sequences: what its
   * saved activations and output take while the micro-batch is in flight. Counted from the
   * engine's arrays (a block keeps 16 rows × d floats, two dropout masks of rows × d flags, the
   * attention weights and its layernorm statistics; the head its layernorm, its probabilities and the losses): exactly what the arena
   * counts (CostModelTest), which is also what ranks report from the first step on.
   */
  public static long[] activationBytes(ModelConfig config, int sequences) {
    Require.that(sequences >= 1, "a micro-batch has at least one sequence, got " + sequences);
    long rows = (long) sequences * config.seqLen();
    long d = config.dim();
    long[] bytes = new long[config.layerCount()];
    bytes[0] = FLOAT_BYTES * rows * d;
    long attention = (long) sequences * config.heads() * config.seqLen() * config.seqLen();
    for (int l = 1; l <= config.blocks(); l++) {
      bytes[l] = FLOAT_BYTES * (16 * rows * d + 4 * rows + attention) + 2 * rows * d;
    }
    bytes[config.layerCount() - 1] = FLOAT_BYTES * (rows * config.vocab() + rows * d + 3 * rows);
    return bytes;
  }
}
