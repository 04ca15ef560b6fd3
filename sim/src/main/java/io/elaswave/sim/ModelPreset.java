package io.elaswave.sim;

import io.elaswave.planner.ModelProfile;
import java.util.List;
import java.util.Locale;

/**
 * A published model shape: an embedding, {@code blocks} transformer blocks and a head (untied, as
 * large as the embedding), their parameter counts, and the tokens of one micro-batch. A block's
 * forward and backward cost 6 FLOPs per parameter and token (attention's own FLOPs left out);
 * the head costs in proportion to its parameters, the embedding is a lookup.
 */
public record ModelPreset(String name, int blocks, long blockParams, long embeddingParams, int tokensPerMicroBatch) {
  public ModelPreset {
    if (blocks < 1 || blockParams < 1 || embeddingParams < 0 || tokensPerMicroBatch < 1) {
      throw new IllegalArgumentException("model preset " + name + ": sizes and costs must be positive");
    }
  }

  /** Llama 3 8B: 32 blocks of d 4 096 (218 M parameters each), vocabulary 128 256. */
  public static final ModelPreset LLAMA3_8B = new ModelPreset("llama3-8b", 32, 218_112_000L, 525_336_576L,
      8 * 8192);
  /** Llama 3 70B: 80 blocks of d 8 192 (856 M each). */
  public static final ModelPreset LLAMA3_70B = new ModelPreset("llama3-70b", 80, 855_654_400L, 1_050_673_152L,
      8 * 8192);
  /** Llama 3 405B: 126 blocks of d 16 384 (3.2 B each). */
  public static final ModelPreset LLAMA3_405B = new ModelPreset("llama3-405b", 126, 3_187_703_808L,
      2_101_346_304L, 8 * 8192);

  public static final List<ModelPreset> ALL = List.of(LLAMA3_8B, LLAMA3_70B, LLAMA3_405B);

  /**
   * The runtime's own model {@code config} in micro-batches of {@code microBatchSize} sequences:
   * its embedding (token and position tables), blocks and head as the engine counts them. What the
   * simulator is checked against measured runs with.
   */
  public static ModelPreset ofRuntime(io.elaswave.engine.model.ModelConfig config, int microBatchSize) {
    int[] params = io.elaswave.planner.CostModel.paramCounts(config);
    return new ModelPreset("runtime-" + config.name(), config.blocks(), params[1], params[0],
        microBatchSize * config.seqLen());
  }

  /** The preset called {@code name}. */
  public static ModelPreset named(String name) {
    return ALL.stream().filter(p -> p.name.equals(name)).findFirst().orElseThrow(() -> new IllegalArgumentException(
        "--model takes " + String.join(", ", ALL.stream().map(ModelPreset::name).toList()) + "; got '" + name + "'"));
  }

  /** Layers: embedding, blocks, head. */
  public int layerCount() {
    return blocks + 2;
  }

  /** FLOPs of one micro-batch through one block, forward and backward. */
  public double blockFlops() {
    return 6.0 * blockParams * tokensPerMicroBatch;
  }

  /** Parameters of the whole model. */
  public long params() {
    return blockParams * blocks + 2 * embeddingParams;
  }

  /**
   * The planner's view for a job of {@code dp} replicas: costs in block units (the embedding a
   * lookup), per-layer memory of ZeRO-1 state (bf16 weights and gradients, fp32 moments and
   * master weights sharded over dp), and ZeRO blocks of about a layer over dp, so each owner keeps
   * about one block of each layer it holds. Parameter counts are in units of {@link #unit()}
   * parameters so that the largest layer fits an int.
   */
  public ModelProfile profile(int dp) {
    int layers = layerCount();
    double[] costs = new double[layers];
    long[] memory = new long[layers];
    int[] sizes = new int[layers];
    long unit = unit();
    for (int l = 0; l < layers; l++) {
      long params = l == 0 || l == layers - 1 ? embeddingParams : blockParams;
      costs[l] = l == 0 ? 0.01 : l == layers - 1 ? (double) embeddingParams / blockParams : 1.0;
      memory[l] = 2 * 2 * params + 12 * params / Math.max(1, dp);
      sizes[l] = Math.toIntExact(params / unit);
    }
    int blockSize = Math.max(1, (int) (blockParams / unit / Math.max(1, dp)));
    return new ModelProfile(costs, memory, sizes, blockSize);
  }

  /** Parameters per planner unit: 1, or a power of ten that keeps every layer's count an int. */
  public long unit() {
    long largest = Math.max(blockParams, embeddingParams);
    long unit = 1;
    while (largest / unit > Integer.MAX_VALUE / 2) {
      unit *= 10;
    }
    return unit;
  }

  @Override public String toString() {
    return String.format(Locale.ROOT, "%s (%d blocks, %.1f B parameters)", name, blocks, params() / 1e9);
  }
}
