package io.elaswave.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.elaswave.engine.train.StagePass;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * What a layer's forward keeps, counted by the arena ({@link Arena#heldBytes}), is the same cold
 * and warm: the pool changes where the arrays come from, never how many bytes a micro-batch holds
 * (the rank reports it to the planner as activation memory).
 */
class ArenaTest {
  private static final ModelConfig CONFIG = new ModelConfig("arena", 11, 16, 2, 2, 8, 0.2f, 64);

  @Test
  void aForwardKeepsTheSameBytesColdAndWarmAndABackwardGivesThemBack() {
    Model model = new Model(CONFIG);
    int layers = model.layerCount();
    float[][] params = new float[layers][];
    float[][] grads = new float[layers][];
    for (int l = 0; l < layers; l++) {
      params[l] = model.initParams(l, 5);
      grads[l] = new float[params[l].length];
    }
    MicroBatch batch = batch(new Random(3));
    StepContext ctx = new StepContext(7, 1, true);
    long start = model.arena().heldBytes();
    long[] cold = keptByEachForward(model, params, batch, ctx, grads);
    long afterCold = model.arena().heldBytes();
    assertTrue(model.arena().pooledBytes() > 0, "the first pass filled the pool");
    long[] warm = keptByEachForward(model, params, batch, ctx, grads);
    assertEquals(afterCold - start, model.arena().heldBytes() - afterCold, "each micro-batch leaves the same behind");
    for (int l = 0; l < layers; l++) {
      assertEquals(cold[l], warm[l], "layer " + l);
      int out = model.layer(l).outputWidth();
      assertTrue(warm[l] >= 4L * batch.rows() * out, "layer " + l + " keeps at least its output: " + warm[l]);
    }
  }

  /** One micro-batch through every layer, each forward's kept bytes noted; then its backward. */
  private static long[] keptByEachForward(Model model, float[][] params, MicroBatch batch, StepContext ctx,
      float[][] grads) {
    int layers = model.layerCount();
    long[] kept = new long[layers];
    float[] x = null;
    List<Layer.Forward> saved = new java.util.ArrayList<>();
    for (int l = 0; l < layers; l++) {
      long h = model.arena().heldBytes();
      Layer.Forward f = StagePass.forward(model, params, l, l + 1, x, batch, ctx).get(0);
      kept[l] = model.arena().heldBytes() - h;
      saved.add(f);
      x = f.output();
    }
    float[] dLoss = StagePass.backward(model, params, grads, 0, layers, StagePass.lossGradient(batch, batch.rows()),
        batch, saved);
    assertEquals(null, dLoss, "layer 0 has no input gradient");
    return kept;
  }

  private static MicroBatch batch(Random rnd) {
    int n = 2 * CONFIG.seqLen();
    int[] tokens = new int[n];
    int[] targets = new int[n];
    for (int i = 0; i < n; i++) {
      tokens[i] = rnd.nextInt(CONFIG.vocab());
      targets[i] = rnd.nextInt(CONFIG.vocab());
    }
    return new MicroBatch(1, 2, CONFIG.seqLen(), tokens, targets);
  }
}
