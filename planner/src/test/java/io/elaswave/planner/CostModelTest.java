package io.elaswave.planner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.elaswave.engine.model.Model;
import io.elaswave.engine.model.ModelConfig;
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
}
