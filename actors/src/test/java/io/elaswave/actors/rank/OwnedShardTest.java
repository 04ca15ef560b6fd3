package io.elaswave.actors.rank;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.elaswave.engine.model.Model;
import io.elaswave.engine.optim.AdamW;
import io.elaswave.engine.optim.AdamWConfig;
import io.elaswave.engine.param.BlockRef;
import io.elaswave.engine.param.Digest;
import io.elaswave.engine.reduce.ReductionTree;
import io.elaswave.engine.reduce.TreeNode;
import io.elaswave.engine.train.ReferenceTrainer;
import io.elaswave.engine.train.TrainConfig;
import io.elaswave.protocol.FloatTensor;
import io.elaswave.protocol.runtime.BlockNorm;
import io.elaswave.protocol.runtime.BlockPartial;
import io.elaswave.protocol.runtime.BlockValues;
import io.elaswave.protocol.runtime.StateBlock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A ZeRO-1 shard: reduction over tree-node partials, AdamW on owned blocks, and its moments. */
class OwnedShardTest {
  private static final int G = 4;
  private static final TrainConfig CONFIG =
      new TrainConfig("tiny", 1337, 1, G, 2, 3e-3f, 3e-4f, 2, 20, AdamWConfig.defaults(), 0, 2);
  private static final Model MODEL = new Model(CONFIG.modelConfig(SharedCorpus.get().vocab().size()));
  private static final List<BlockRef> LAYER0 = ReferenceTrainer.paramBlocks(MODEL).blocks(0);

  private final ReductionTree tree = new ReductionTree(G);

  /** Micro-batch {@code i}'s gradient of block {@code b}: small integers, so every sum is exact. */
  private static float[] leaf(BlockRef b, int i) {
    float[] g = new float[b.size()];
    for (int k = 0; k < g.length; k++) {
      g[k] = (k % 7) - 3 + i;
    }
    return g;
  }

  private static float[] sum(BlockRef b, int lo, int hi) {
    float[] out = new float[b.size()];
    for (int i = lo; i < hi; i++) {
      float[] g = leaf(b, i);
      for (int k = 0; k < out.length; k++) {
        out[k] += g[k];
      }
    }
    return out;
  }

  private static BlockPartial partial(BlockRef b, TreeNode node) {
    return new BlockPartial(b.layer(), b.block(), node.lo(), node.hi(), new FloatTensor(sum(b, node.lo(), node.hi())));
  }

  private static float[][] params() {
    float[][] params = new float[MODEL.layerCount()][];
    params[0] = MODEL.initParams(0, CONFIG.seed());
    return params;
  }

  @Test
  void aBatchThatLeavesAReplicasIdsOutReducesOverTheIdsThatRan() {
    BlockRef b = LAYER0.get(0);
    OwnedShard shard = new OwnedShard(MODEL, tree, List.of(b));
    tree.cover(3, G).forEach(n -> shard.addPartial(7, partial(b, n))); // ids [0, 3) were dropped
    assertFalse(shard.reduce(7, G));
    assertTrue(shard.reduce(7, G - 3));
    float[] direct = sum(b, 3, G);
    double want = 0;
    for (float x : direct) {
      want += (double) x * x;
    }
    assertEquals(List.of(new BlockNorm(b.layer(), b.block(), want)), shard.norms());
  }

  @Test
  void reducesOnceTheReplicasNodesCoverEveryMicroBatch() {
    BlockRef b = LAYER0.get(0);
    OwnedShard shard = new OwnedShard(MODEL, tree, List.of(b));
    List<TreeNode> first = tree.cover(0, 3); // one replica's range, then the other's
    first.forEach(n -> shard.addPartial(7, partial(b, n)));
    assertFalse(shard.reduce(7, G));
    tree.cover(3, G).forEach(n -> shard.addPartial(7, partial(b, n)));
    assertTrue(shard.reduce(7, G));
    float[] direct = sum(b, 0, G);
    double want = 0;
    for (float x : direct) {
      want += (double) x * x;
    }
    assertEquals(List.of(new BlockNorm(b.layer(), b.block(), want)), shard.norms());
    assertThrows(IllegalArgumentException.class, () -> shard.addPartial(7, partial(b, first.get(0))));
    BlockRef notOwned = LAYER0.get(1);
    assertThrows(IllegalArgumentException.class, () -> shard.addPartial(7, partial(notOwned, tree.root())));
  }

  @Test
  void updateChangesOnlyOwnedBlocksAndMomentsRoundTrip() {
    BlockRef owned = LAYER0.get(1);
    BlockRef other = LAYER0.get(0);
    OwnedShard shard = new OwnedShard(MODEL, tree, List.of(owned));
    float[][] params = params();
    float[] before = params[0].clone();
    shard.addPartial(1, partial(owned, tree.root()));
    assertTrue(shard.reduce(1, G));
    AdamW adamW = new AdamW(CONFIG.adamW());
    List<BlockValues> updated = shard.update(1, params, adamW, adamW.scalars(1, 1e-3f, 1f));
    assertEquals(1, updated.size());
    assertArrayEquals(java.util.Arrays.copyOfRange(params[0], owned.from(), owned.to()), updated.get(0).values().values());
    assertArrayEquals(java.util.Arrays.copyOfRange(before, other.from(), other.to()),
        java.util.Arrays.copyOfRange(params[0], other.from(), other.to()));
    assertFalse(java.util.Arrays.equals(java.util.Arrays.copyOfRange(before, owned.from(), owned.to()),
        updated.get(0).values().values()));
    assertEquals(Digest.ofRange(params[0], owned.from(), owned.to()), shard.digests(params).get(0).digest());
    assertThrows(IllegalStateException.class, () -> shard.update(2, params, adamW, adamW.scalars(2, 1e-3f, 1f)));

    // the state of the owned block carries its moments; a fresh shard loading it holds the same
    StateBlock state = shard.state(params).get(0);
    float[][] mv = shard.moments(owned.layer(), owned.block());
    assertArrayEquals(mv[0], state.m().values());
    assertArrayEquals(mv[1], state.v().values());
    OwnedShard copy = new OwnedShard(MODEL, tree, List.of(owned));
    copy.loadMoments(state);
    assertArrayEquals(mv[0], copy.moments(owned.layer(), owned.block())[0]);
    assertArrayEquals(mv[1], copy.moments(owned.layer(), owned.block())[1]);
    assertEquals(null, copy.moments(other.layer(), other.block()));
    assertThrows(IllegalArgumentException.class, () -> copy.loadMoments(owned.layer(), owned.block(), new float[1],
        new float[1]));
  }

  @Test
  void restoringSavedMomentsUndoesAnUpdateAndForgetsPartials() {
    BlockRef owned = LAYER0.get(0);
    OwnedShard shard = new OwnedShard(MODEL, tree, List.of(owned));
    Map<BlockRef, float[][]> saved = shard.copyMoments();
    shard.addPartial(1, partial(owned, tree.root()));
    assertTrue(shard.reduce(1, G));
    AdamW adamW = new AdamW(CONFIG.adamW());
    shard.update(1, params(), adamW, adamW.scalars(1, 1e-3f, 1f));
    assertFalse(java.util.Arrays.equals(saved.get(owned)[0], shard.moments(0, owned.block())[0]));
    shard.addPartial(2, partial(owned, tree.root()));
    shard.restoreMoments(saved);
    assertArrayEquals(saved.get(owned)[0], shard.moments(0, owned.block())[0]);
    assertArrayEquals(saved.get(owned)[1], shard.moments(0, owned.block())[1]);
    assertFalse(shard.reduce(2, G), "the abandoned step's partials are gone");
  }
}
