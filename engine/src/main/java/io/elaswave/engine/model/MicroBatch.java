package io.elaswave.engine.model;

/**
 * One micro-batch: {@code batchSize} sequences of {@code seqLen} tokens. Its sequences have the
 * in-step sample ids {@code id * batchSize + b}, which key their dropout masks, so the content
 * and the randomness depend only on (seed, step, id), never on who runs it.
 */
public record MicroBatch(int id, int batchSize, int seqLen, int[] tokens, int[] targets) {
  public MicroBatch {
    if (tokens.length != batchSize * seqLen || targets.length != batchSize * seqLen) {
      throw new IllegalArgumentException("tokens and targets must hold batchSize * seqLen entries");
    }
  }

  public int rows() {
    return batchSize * seqLen;
  }

  public long firstSample() {
    return (long) id * batchSize;
  }
}
