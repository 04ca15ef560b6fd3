package io.elaswave.actors.rank;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.elaswave.engine.model.Model;
import io.elaswave.engine.optim.AdamW;
import io.elaswave.engine.optim.AdamWConfig;
import io.elaswave.engine.optim.Slice;
import io.elaswave.engine.param.BlockRef;
import io.elaswave.engine.train.ReferenceTrainer;
import io.elaswave.engine.train.TrainConfig;
import io.elaswave.protocol.FloatTensor;
import io.elaswave.protocol.runtime.StateBlock;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A buddy's replay of an owner's step: over many steps of random gradients, with and without
 * parameters kept, its copy stays bit for bit the owner's state, and its checksum tells.
 */
class SnapshotReplayTest {
  private static final TrainConfig CONFIG =
      new TrainConfig("tiny", 1337, 1, 4, 2, 3e-3f, 3e-4f, 2, 20, AdamWConfig.defaults(), 0, 2);
  private static final Model MODEL = new Model(CONFIG.modelConfig(SharedCorpus.get().vocab().size()));

  @Test
  void replayedStepsEqualTheOwnersBitForBit() {
    AdamW adamW = new AdamW(CONFIG.adamW());
    for (int layer : new int[] {0, 1, MODEL.layerCount() - 1}) {
      List<BlockRef> blocks = ReferenceTrainer.paramBlocks(MODEL).blocks(layer);
      BlockRef b = blocks.get(blocks.size() - 1); // the last block: a nonzero origin
      Random random = new Random(layer);
      float[] params = new float[b.to()];
      for (int i = b.from(); i < b.to(); i++) {
        params[i] = (float) random.nextGaussian();
      }
      float[] m = new float[b.size()];
      float[] v = new float[b.size()];
      StateBlock withParams = new StateBlock(layer, b.block(), new FloatTensor(slice(params, b)),
          new FloatTensor(m.clone()), new FloatTensor(v.clone()));
      StateBlock momentsOnly = new StateBlock(layer, b.block(), new FloatTensor(new float[0]),
          new FloatTensor(m.clone()), new FloatTensor(v.clone()));
      for (long step = 1; step <= 30; step++) {
        float[] grad = new float[b.size()];
        for (int i = 0; i < grad.length; i++) {
          grad[i] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(7) - 3));
        }
        AdamW.StepScalars scalars = adamW.scalars(step, 3e-3f / step, step % 3 == 0 ? 0.25f : 1f);
        adamW.update(Slice.whole(params), new Slice(grad, b.from()), new Slice(m, b.from()), new Slice(v, b.from()),
            MODEL.layer(layer).tensors(), b.from(), b.to(), scalars); // the owner
        withParams = SnapshotReplay.advance(withParams, grad, b, MODEL.layer(layer).tensors(), adamW, scalars);
        momentsOnly = SnapshotReplay.advance(momentsOnly, grad, b, MODEL.layer(layer).tensors(), adamW, scalars);
        assertArrayEquals(slice(params, b), withParams.params().values(), "parameters, step " + step);
        assertArrayEquals(m, withParams.m().values());
        assertArrayEquals(v, withParams.v().values());
        assertArrayEquals(m, momentsOnly.m().values(), "moments never read the parameters");
        assertArrayEquals(v, momentsOnly.v().values());
        assertEquals(0, momentsOnly.params().length());
        assertEquals(SnapshotReplay.checksum(params, b.from(), b.to(), m, v), SnapshotReplay.checksum(withParams));
        assertEquals(SnapshotReplay.checksum(null, 0, 0, m, v), SnapshotReplay.checksum(momentsOnly));
      }
    }
  }

  @Test
  void theChecksumCoversParametersAndBothMoments() {
    float[] p = {1f, 2f};
    float[] m = {3f, 4f};
    float[] v = {5f, 6f};
    long whole = SnapshotReplay.checksum(p, 0, 2, m, v);
    for (float[] part : new float[][] {p, m, v}) {
      part[1] = Math.nextUp(part[1]);
      assertNotEquals(whole, SnapshotReplay.checksum(p, 0, 2, m, v));
      part[1] = Math.nextDown(part[1]);
    }
    assertEquals(whole, SnapshotReplay.checksum(p, 0, 2, m, v));
    assertNotEquals(whole, SnapshotReplay.checksum(null, 0, 0, m, v), "kept parameters count");
  }

  private static float[] slice(float[] values, BlockRef b) {
    return java.util.Arrays.copyOfRange(values, b.from(), b.to());
  }
}
