package io.elaswave.engine.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.elaswave.engine.model.BlockLayer;
import io.elaswave.engine.model.Layer;
import io.elaswave.engine.model.ModelConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Block-by-block AdamW, in any order and on block-sized shards, equals one whole-vector update. */
class AdamWTest {
  private final Layer layer = new BlockLayer(new ModelConfig("t", 11, 16, 2, 2, 8, 0f, 100), 0, new io.elaswave.engine.model.Arena());
  private final AdamW adamW = new AdamW(AdamWConfig.defaults());

  @Test
  void blockwiseEqualsWholeBitwise() {
    Random rnd = new Random(3);
    int n = layer.paramCount();
    float[] p0 = gaussian(rnd, n);
    float[] m0 = gaussian(rnd, n);
    float[] v0 = abs(gaussian(rnd, n));
    float[] g = gaussian(rnd, n);
    AdamW.StepScalars s = adamW.scalars(7, 1e-3f, 0.5f);

    float[] pWhole = p0.clone();
    float[] mWhole = m0.clone();
    float[] vWhole = v0.clone();
    adamW.update(Slice.whole(pWhole), Slice.whole(g), Slice.whole(mWhole), Slice.whole(vWhole), layer.tensors(), 0,
        n, s);

    // owners update disjoint blocks in a shuffled order, each holding only its block's moments
    float[] pBlocks = p0.clone();
    List<int[]> blocks = new ArrayList<>();
    for (int from = 0; from < n; from += 100) {
      blocks.add(new int[] {from, Math.min(n, from + 100)});
    }
    Collections.shuffle(blocks, rnd);
    float[] mBlocks = new float[n];
    float[] vBlocks = new float[n];
    for (int[] b : blocks) {
      int len = b[1] - b[0];
      float[] mShard = java.util.Arrays.copyOfRange(m0, b[0], b[1]);
      float[] vShard = java.util.Arrays.copyOfRange(v0, b[0], b[1]);
      float[] gShard = java.util.Arrays.copyOfRange(g, b[0], b[1]);
      adamW.update(Slice.whole(pBlocks), new Slice(gShard, b[0]), new Slice(mShard, b[0]), new Slice(vShard, b[0]),
          layer.tensors(), b[0], b[1], s);
      System.arraycopy(mShard, 0, mBlocks, b[0], len);
      System.arraycopy(vShard, 0, vBlocks, b[0], len);
    }
    assertArrayEquals(pWhole, pBlocks);
    assertArrayEquals(mWhole, mBlocks);
    assertArrayEquals(vWhole, vBlocks);
    assertFalse(java.util.Arrays.equals(p0, pWhole), "the update must change parameters");
  }

  @Test
  void decayAppliesOnlyToDecayedTensors() {
    int n = layer.paramCount();
    float[] p = new float[n];
    java.util.Arrays.fill(p, 1f);
    float[] zeros = new float[n];
    adamW.update(Slice.whole(p), Slice.whole(zeros), Slice.whole(new float[n]), Slice.whole(new float[n]),
        layer.tensors(), 0, n, adamW.scalars(1, 0.1f, 1f));
    for (var t : layer.tensors()) {
      float expected = t.decay() ? 1f - 0.1f * AdamWConfig.defaults().weightDecay() * 1f : 1f;
      org.junit.jupiter.api.Assertions.assertEquals(expected, p[t.offset()], 1e-7f, t.name());
    }
  }

  private static float[] gaussian(Random rnd, int n) {
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = (float) rnd.nextGaussian() * 0.1f;
    }
    return out;
  }

  private static float[] abs(float[] x) {
    for (int i = 0; i < x.length; i++) {
      x[i] = Math.abs(x[i]);
    }
    return x;
  }
}
