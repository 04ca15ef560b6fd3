package io.elaswave.engine.train;

import io.elaswave.engine.data.CharVocab;
import io.elaswave.engine.model.Layer;
import io.elaswave.engine.model.MicroBatch;
import io.elaswave.engine.model.Model;
import io.elaswave.engine.model.StepContext;
import io.elaswave.engine.rng.CounterRng;
import io.elaswave.engine.rng.Purpose;
import java.util.List;

/** Generates text from a model, one character at a time, with temperature sampling. */
public final class TextSampler {
  private final Model model;
  private final float[][] params;
  private final CharVocab vocab;

  public TextSampler(Model model, float[][] params, CharVocab vocab) {
    this.model = model;
    this.params = params;
    this.vocab = vocab;
  }

  /** The prompt followed by {@code tokens} sampled characters; same seed, same text. */
  public String generate(String prompt, int tokens, float temperature, long seed) {
    StringBuilder text = new StringBuilder(prompt.isEmpty() ? "\n" : prompt);
    int[] context = vocab.encode(text.toString());
    int maxLen = model.config().seqLen();
    int[] window = new int[0];
    for (int i = 0; i < tokens; i++) {
      int len = Math.min(maxLen, context.length);
      window = java.util.Arrays.copyOfRange(context, context.length - len, context.length);
      float[] logits = lastLogits(window);
      int next = pick(logits, temperature, CounterRng.uniformDouble(
          CounterRng.bits(seed, Purpose.SAMPLE, i, 0, 0, 0)));
      text.append(vocab.decode(next));
      context = java.util.Arrays.copyOf(context, context.length + 1);
      context[context.length - 1] = next;
    }
    return prompt.isEmpty() ? text.substring(1) : text.toString();
  }

  private float[] lastLogits(int[] window) {
    MicroBatch batch = new MicroBatch(0, 1, window.length, window, window);
    StepContext ctx = StepContext.eval(0);
    int last = model.layerCount() - 1;
    List<Layer.Forward> saved = StagePass.forward(model, params, 0, last, null, batch, ctx);
    float[] logits = model.head().lastLogits(params[last], saved.get(last - 1).output(), window.length, window.length);
    StagePass.release(model, 0, saved);
    model.arena().give(saved.get(last - 1).output()); // release keeps the last output: the caller's, here ours
    return logits;
  }

  private static int pick(float[] logits, float temperature, double u) {
    if (temperature <= 0f) {
      int best = 0;
      for (int j = 1; j < logits.length; j++) {
        if (logits[j] > logits[best]) {
          best = j;
        }
      }
      return best;
    }
    double max = Double.NEGATIVE_INFINITY;
    for (float l : logits) {
      max = Math.max(max, l / temperature);
    }
    double[] p = new double[logits.length];
    double sum = 0;
    for (int j = 0; j < p.length; j++) {
      p[j] = StrictMath.exp(logits[j] / temperature - max);
      sum += p[j];
    }
    double acc = 0;
    for (int j = 0; j < p.length; j++) {
      acc += p[j] / sum;
      if (u < acc) {
        return j;
      }
    }
    return p.length - 1;
  }
}
