package io.elaswave.engine.data;

import io.elaswave.engine.model.MicroBatch;
import io.elaswave.engine.rng.CounterRng;
import io.elaswave.engine.rng.Purpose;

/**
 * Draws sequences at offsets keyed by (seed, step, in-step sample id): micro-batch id k of a step
 * holds samples k·B … k·B + B − 1, whoever asks for it.
 */
public final class BatchSampler {
  private final Corpus corpus;
  private final long seed;
  private final int batchSize;
  private final int seqLen;

  public BatchSampler(Corpus corpus, long seed, int batchSize, int seqLen) {
    if (corpus.train().length <= seqLen + 1 || corpus.validation().length <= seqLen + 1) {
      throw new IllegalArgumentException("corpus is too short for sequences of " + seqLen);
    }
    this.corpus = corpus;
    this.seed = seed;
    this.batchSize = batchSize;
    this.seqLen = seqLen;
  }

  /** Micro-batch {@code id} of training step {@code step}. */
  public MicroBatch train(long step, int id) {
    return draw(corpus.train(), Purpose.DATA, step, id);
  }

  /** Validation batch {@code index}; the same for every evaluation. */
  public MicroBatch validation(int index) {
    return draw(corpus.validation(), Purpose.EVAL_DATA, index, 0);
  }

  private MicroBatch draw(int[] tokens, Purpose purpose, long step, int id) {
    int[] inputs = new int[batchSize * seqLen];
    int[] targets = new int[batchSize * seqLen];
    long starts = tokens.length - seqLen - 1;
    for (int b = 0; b < batchSize; b++) {
      long sample = (long) id * batchSize + b;
      int offset = (int) CounterRng.below(CounterRng.bits(seed, purpose, step, sample, 0, 0), starts);
      System.arraycopy(tokens, offset, inputs, b * seqLen, seqLen);
      System.arraycopy(tokens, offset + 1, targets, b * seqLen, seqLen);
    }
    return new MicroBatch(id, batchSize, seqLen, inputs, targets);
  }
}
