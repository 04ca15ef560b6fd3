package io.elaswave.actors.rank;

import io.elaswave.engine.model.Model;
import io.elaswave.engine.optim.AdamW;
import io.elaswave.engine.optim.GradClip;
import io.elaswave.engine.optim.Slice;
import io.elaswave.engine.param.BlockRef;
import io.elaswave.engine.param.Digest;
import io.elaswave.engine.reduce.ReductionTree;
import io.elaswave.engine.reduce.TreeNode;
import io.elaswave.planner.BlockId;
import io.elaswave.protocol.FloatTensor;
import io.elaswave.protocol.runtime.BlockDigest;
import io.elaswave.protocol.runtime.BlockNorm;
import io.elaswave.protocol.runtime.BlockPartial;
import io.elaswave.protocol.runtime.BlockValues;
import io.elaswave.protocol.runtime.StateBlock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ZeRO-1 shard of one rank: the blocks it owns, their AdamW moments, and the reduction of
 * their gradients. Partial sums arrive from every replica as reduction-tree nodes; a block is
 * reduced once its nodes cover all G micro-batches, by the same tree the reference trainer uses.
 */
final class OwnedShard {
  private final Model model;
  private final ReductionTree tree;
  private final Map<BlockRef, float[][]> moments = new LinkedHashMap<>(); // block → {m, v}, canonical order
  private final Map<BlockId, BlockRef> index = new HashMap<>();
  private final Map<Long, Map<BlockRef, Map<TreeNode, float[]>>> partialsByStep = new HashMap<>();
  private final Map<BlockRef, float[]> reduced = new HashMap<>();

  OwnedShard(Model model, ReductionTree tree, List<BlockRef> owned) {
    this.model = model;
    this.tree = tree;
    for (BlockRef b : owned) {
      moments.put(b, new float[][] {new float[b.size()], new float[b.size()]});
      index.put(new BlockId(b.layer(), b.block()), b);
    }
  }

  List<BlockRef> blocks() {
    return List.copyOf(moments.keySet());
  }

  boolean owns(int layer, int block) {
    return find(layer, block) != null;
  }

  /** Files one tree node's partial sum of an owned block for {@code step}. */
  void addPartial(long step, BlockPartial p) {
    BlockRef ref = find(p.layer(), p.block());
    if (ref == null) {
      throw new IllegalArgumentException("partial for block " + p.layer() + "/" + p.block() + " which is not owned here");
    }
    Map<TreeNode, float[]> nodes = partialsByStep.computeIfAbsent(step, s -> new HashMap<>())
        .computeIfAbsent(ref, r -> new HashMap<>());
    if (nodes.put(new TreeNode(p.lo(), p.hi()), p.sum().values()) != null) {
      throw new IllegalArgumentException("duplicate partial [" + p.lo() + "," + p.hi() + ") for block " + ref);
    }
  }

  /**
   * Reduces every owned block whose partials for {@code step} cover the step's {@code batch}
   * micro-batches (all G, unless a policy dropped a replica's ids); true when all are.
   */
  boolean reduce(long step, int batch) {
    Map<BlockRef, Map<TreeNode, float[]>> partials = partialsByStep.getOrDefault(step, Map.of());
    for (BlockRef b : moments.keySet()) {
      Map<TreeNode, float[]> nodes = partials.get(b);
      if (!reduced.containsKey(b) && nodes != null && covered(nodes) == batch) {
        reduced.put(b, tree.combineCovered(nodes)); // with every id covered, bit for bit the full combine
      }
    }
    return reduced.size() == moments.size();
  }

  /** Σ g² of each reduced block, canonical order. */
  List<BlockNorm> norms() {
    List<BlockNorm> out = new ArrayList<>();
    for (BlockRef b : moments.keySet()) {
      float[] g = reduced.get(b);
      out.add(new BlockNorm(b.layer(), b.block(), GradClip.blockSumOfSquares(g, 0, g.length)));
    }
    return out;
  }

  /** The reduced gradient of every owned block (live arrays, never written again), canonical order. */
  List<BlockValues> reducedGradients() {
    List<BlockValues> out = new ArrayList<>();
    for (BlockRef b : moments.keySet()) {
      out.add(new BlockValues(b.layer(), b.block(), new FloatTensor(reduced.get(b))));
    }
    return out;
  }

  /**
   * AdamW on every owned block of {@code params} (indexed by layer), then forgets the step's
   * gradients. Returns the new block values, canonical order.
   */
  List<BlockValues> update(long step, float[][] params, AdamW adamW, AdamW.StepScalars scalars) {
    List<BlockValues> out = new ArrayList<>();
    for (Map.Entry<BlockRef, float[][]> e : moments.entrySet()) {
      BlockRef b = e.getKey();
      float[] grad = reduced.get(b);
      if (grad == null) {
        throw new IllegalStateException("block " + b + " has no reduced gradient for step " + step);
      }
      adamW.update(Slice.whole(params[b.layer()]), new Slice(grad, b.from()), new Slice(e.getValue()[0], b.from()),
          new Slice(e.getValue()[1], b.from()), model.layer(b.layer()).tensors(), b.from(), b.to(), scalars);
      out.add(new BlockValues(b.layer(), b.block(),
          new FloatTensor(java.util.Arrays.copyOfRange(params[b.layer()], b.from(), b.to()))));
    }
    reduced.clear();
    partialsByStep.remove(step);
    return out;
  }

  List<BlockDigest> digests(float[][] params) {
    List<BlockDigest> out = new ArrayList<>();
    for (BlockRef b : moments.keySet()) {
      out.add(new BlockDigest(b.layer(), b.block(), Digest.ofRange(params[b.layer()], b.from(), b.to())));
    }
    return out;
  }

  /** The owned blocks' full state, canonical order. */
  List<StateBlock> state(float[][] params) {
    List<StateBlock> out = new ArrayList<>();
    for (Map.Entry<BlockRef, float[][]> e : moments.entrySet()) {
      BlockRef b = e.getKey();
      out.add(new StateBlock(b.layer(), b.block(),
          new FloatTensor(java.util.Arrays.copyOfRange(params[b.layer()], b.from(), b.to())),
          new FloatTensor(e.getValue()[0].clone()), new FloatTensor(e.getValue()[1].clone())));
    }
    return out;
  }

  /** The moments {m, v} of an owned block (live arrays), or null if not owned. */
  float[][] moments(int layer, int block) {
    BlockRef b = find(layer, block);
    return b == null ? null : moments.get(b);
  }

  /** Deep copies of every owned block's moments, for a rollback point. */
  Map<BlockRef, float[][]> copyMoments() {
    Map<BlockRef, float[][]> out = new LinkedHashMap<>();
    moments.forEach((b, mv) -> out.put(b, new float[][] {mv[0].clone(), mv[1].clone()}));
    return out;
  }

  void restoreMoments(Map<BlockRef, float[][]> saved) {
    saved.forEach((b, mv) -> {
      float[][] live = moments.get(b);
      System.arraycopy(mv[0], 0, live[0], 0, mv[0].length);
      System.arraycopy(mv[1], 0, live[1], 0, mv[1].length);
    });
    reduced.clear();
    partialsByStep.clear();
  }

  /** Sets the moments of an owned block (a transfer or a checkpoint). */
  void loadMoments(int layer, int block, float[] m, float[] v) {
    BlockRef b = find(layer, block);
    if (b == null || m.length != b.size() || v.length != b.size()) {
      throw new IllegalArgumentException("moments for block " + layer + "/" + block + " do not fit this shard");
    }
    moments.put(b, new float[][] {m.clone(), v.clone()});
  }

  /** Takes the moments of an owned block from a checkpoint. */
  void loadMoments(StateBlock s) {
    BlockRef b = find(s.layer(), s.block());
    if (b == null) {
      return;
    }
    if (s.m().length() != b.size() || s.v().length() != b.size()) {
      throw new IllegalArgumentException("state of block " + b + " has the wrong size");
    }
    moments.put(b, new float[][] {s.m().values().clone(), s.v().values().clone()});
  }

  private BlockRef find(int layer, int block) {
    return index.get(new BlockId(layer, block));
  }

  private static int covered(Map<TreeNode, float[]> nodes) {
    int n = 0;
    for (TreeNode t : nodes.keySet()) {
      n += t.hi() - t.lo();
    }
    return n;
  }
}
