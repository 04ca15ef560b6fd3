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
  private final Layer layer = new BlockLayer(new ModelConfig("t", 11, 16, 2, 2, 8, 0f, 100), 0,
      new io.elaswave.engine.model.Arena());
  private final AdamW adamW = new AdamW(AdamWConfig.defaults());

  /** The vector update equals its scalar twin on every element, at any origin and length. */
  @Test
  void vectorEqualsScalarBitwise() {
    Random rnd = new Random(11);
    for (int n : new int[] {1, 15, 16, 17, 33, 1000}) {
      for (float decay : new float[] {0f, 0.1f}) {
        float[] p = gaussian(rnd, n + 3);
        float[] m = gaussian(rnd, n + 5);
        float[] v = abs(gaussian(rnd, n + 7));
        float[] g = gaussian(rnd, n + 2);
        v[4] = 0f; // vHat 0: the update divides by eps alone
        g[1] = -0f;
        float[] p2 = p.clone();
        float[] m2 = m.clone();
        float[] v2 = v.clone();
        AdamW.StepScalars s = adamW.scalars(3, 2e-3f, 0.7f);
        List<io.elaswave.engine.model.ParamTensor> one = List.of(new io.elaswave.engine.model.ParamTensor("x", 0, n + 40,
            io.elaswave.engine.model.ParamTensor.Init.zeros(), decay > 0f));
        AdamW w = new AdamW(new AdamWConfig(0.9f, 0.95f, 1e-8f, decay, 1f));
        // element i of the range [20, 20 + n) lives at i - origin in each array
        w.update(new Slice(p, 17), new Slice(g, 18), new Slice(m, 15), new Slice(v, 13), one, 20, 20 + n, s);
        w.updateScalar(p2, g, m2, v2, 17, 18, 15, 13, 20, 20 + n, decay, s);
        assertArrayEquals(p2, p);
        assertArrayEquals(m2, m);
        assertArrayEquals(v2, v);
      }
    }
  }

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
