package io.elaswave.planner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.elaswave.engine.model.Model;
import io.elaswave.engine.model.MicroBatch;
import io.elaswave.engine.model.ModelConfig;
import io.elaswave.engine.model.StepContext;
import io.elaswave.engine.train.StagePass;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class CostModelTest {
  private static final ModelConfig BASE = ModelConfig.preset("base", 65);

  @Test
  void sizesAreTheEnginesAndCostsFollowTheFormulas() {
    Model model = new Model(BASE);
    int[] sizes = CostModel.paramCounts(BASE);
    for (int l = 0; l < model.layerCount(); l++) {
      assertEquals(model.layer(l).paramCount(), sizes[l]);
    }
    double[] flops = CostModel.flopsPerToken(BASE);
    double d = BASE.dim();
    assertEquals(3 * (24 * d * d + 4 * BASE.seqLen() * d), flops[1]);
    assertEquals(flops[1], flops[BASE.blocks()]);
    assertEquals(3 * 2 * d * BASE.vocab(), flops[BASE.layerCount() - 1]);
    assertTrue(flops[0] < flops[1] / 1000, "the embedding is nearly free");
  }

  @Test
  void memoryCountsParamsGradsAndTheZeroShareOfMoments() {
    int[] sizes = CostModel.paramCounts(BASE);
    long[] one = CostModel.stateBytes(BASE, 1);
    long[] three = CostModel.stateBytes(BASE, 3);
    for (int l = 0; l < sizes.length; l++) {
      assertEquals(16L * sizes[l], one[l]);
      assertEquals(8L * sizes[l] + (8L * sizes[l] + 2) / 3, three[l]);
    }
  }

  @Test
  void profileCopiesItsArrays() {
    ModelProfile p = ModelProfile.estimate(BASE, 2);
    double[] costs = p.layerCosts();
    costs[0] = -1;
    assertNotEquals(-1, p.layerCosts()[0]);
    assertEquals(p, ModelProfile.estimate(BASE, 2));
    assertEquals(p.hashCode(), ModelProfile.estimate(BASE, 2).hashCode());
    double[] measured = new double[BASE.layerCount()];
    Arrays.fill(measured, 2.0);
    assertArrayEquals(measured, p.withCosts(measured).layerCosts());
    assertEquals(BASE.layerCount(), p.paramBlocks().layerCount());
  }

  /** The estimate the planner starts from is what the engine's forwards do keep (the arena's count). */
  @Test
  void theActivationEstimateIsWhatEachForwardKeeps() {
    for (String preset : new String[] {"tiny", "small"}) {
      for (int sequences : new int[] {1, 3}) {
        ModelConfig config = ModelConfig.preset(preset, 65);
        Model model = new Model(config);
        int rows = sequences * config.seqLen();
        int[] tokens = new int[rows];
        for (int i = 0; i < rows; i++) {
          tokens[i] = (7 * i) % 65;
        }
        MicroBatch batch = new MicroBatch(0, sequences, config.seqLen(), tokens, tokens.clone());
        float[][] params = model.initParams(3);
        StepContext ctx = new StepContext(1, 1, true);
        long[] estimate = CostModel.activationBytes(config, sequences);
        float[] x = null;
        for (int l = 0; l < model.layerCount(); l++) {
          long held = model.arena().heldBytes();
          x = StagePass.forward(model, params, l, l + 1, x, batch, ctx).get(0).output();
          assertEquals(estimate[l], model.arena().heldBytes() - held, preset + " x" + sequences + ", layer " + l);
        }
      }
    }
  }
}
