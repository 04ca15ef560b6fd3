package io.elaswave.engine.model;

/**
 * Model shape. {@code blocks} transformer blocks of width {@code dim} with {@code heads} heads
 * over sequences of {@code seqLen} tokens; {@code dropout} on both residual branches;
 * parameters are cut into canonical blocks of {@code paramBlockSize} floats (DESIGN.md §2).
 */
public record ModelConfig(
    String name, int vocab, int dim, int blocks, int heads, int seqLen, float dropout, int paramBlockSize) {

  public static final int DEFAULT_PARAM_BLOCK_SIZE = 4096;
  public static final java.util.List<String> PRESETS = java.util.List.of("tiny", "small", "base");

  public ModelConfig {
    require(vocab > 1, "vocab must be > 1");
    require(dim > 0 && heads > 0 && dim % heads == 0, "dim must be a positive multiple of heads");
    require(blocks > 0, "blocks must be > 0");
    require(seqLen > 0, "seqLen must be > 0");
    require(dropout >= 0f && dropout < 1f, "dropout must be in [0, 1)");
    require(paramBlockSize > 0, "paramBlockSize must be > 0");
  }

  /**
   * Presets: {@code tiny} for tests (d=32, 2 blocks, 2 heads, T=16), {@code small}, the default
   * (d=128, 6 blocks, 4 heads, T=64), and {@code base} (d=256, 8 blocks, 8 heads, T=128).
   */
  public static ModelConfig preset(String name, int vocab) {
    return switch (name) {
      case "tiny" -> new ModelConfig("tiny", vocab, 32, 2, 2, 16, 0.1f, 512);
      case "small" -> new ModelConfig("small", vocab, 128, 6, 4, 64, 0.0f, DEFAULT_PARAM_BLOCK_SIZE);
      case "base" -> new ModelConfig("base", vocab, 256, 8, 8, 128, 0.1f, DEFAULT_PARAM_BLOCK_SIZE);
      default -> throw new IllegalArgumentException(unknownPreset(name));
    };
  }

  /** Throws the same error {@link #preset} would for a name that is not a preset. */
  public static void requirePreset(String name) {
    if (!PRESETS.contains(name)) {
      throw new IllegalArgumentException(unknownPreset(name));
    }
  }

  private static String unknownPreset(String name) {
    return "unknown model preset '" + name + "' (expected tiny, small or base)";
  }

  /** Layers in pipeline order: embedding, blocks, head. */
  public int layerCount() {
    return blocks + 2;
  }

  public int headSize() {
    return dim / heads;
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
