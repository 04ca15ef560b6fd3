package io.elaswave.engine.model;

/**
 * A named tensor inside a layer's flat parameter vector: its offset, element count, how it is
 * initialised and whether AdamW decays it (matrices yes; biases, gains and embeddings' norms no).
 */
public record ParamTensor(String name, int offset, int size, Init init, boolean decay) {
  /** How a tensor starts: constant or normal(0, std) from the counter-based generator. */
  public record Init(float constant, float normalStd) {
    public static Init zeros() {
      return new Init(0f, 0f);
    }

    public static Init ones() {
      return new Init(1f, 0f);
    }

    public static Init normal(float std) {
      return new Init(0f, std);
    }
  }

  public int end() {
    return offset + size;
  }
}
