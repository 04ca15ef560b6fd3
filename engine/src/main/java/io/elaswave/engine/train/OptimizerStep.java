package io.elaswave.engine.train;

import io.elaswave.engine.model.Model;
import io.elaswave.engine.optim.AdamW;
import io.elaswave.engine.optim.GradClip;
import io.elaswave.engine.optim.Slice;
import io.elaswave.engine.param.BlockRef;
import io.elaswave.engine.param.ParamBlocks;
import java.util.List;

/** Clip by the global norm, then AdamW, block by block in canonical order. */
public final class OptimizerStep {
  private final Model model;
  private final ParamBlocks blocks;
  private final AdamW adamW;

  public OptimizerStep(Model model, ParamBlocks blocks, AdamW adamW) {
    this.model = model;
    this.blocks = blocks;
    this.adamW = adamW;
  }

  /**
   * As {@link #apply(TrainState, float[][], long, float)} with the gradient of every layer in one
   * flat vector, layer after layer (read in place, through slices).
   */
  public double apply(TrainState state, float[] flat, long step, float lr) {
    float[][] p = state.params();
    int[] at = new int[p.length];
    int n = 0;
    for (int l = 0; l < p.length; l++) {
      at[l] = n;
      n += p[l].length;
    }
    if (n != flat.length) {
      throw new IllegalArgumentException("flat gradient has " + flat.length + " elements, layers need " + n);
    }
    List<BlockRef> all = blocks.all();
    double[] sums = new double[all.size()];
    for (int i = 0; i < sums.length; i++) {
      BlockRef b = all.get(i);
      sums[i] = GradClip.blockSumOfSquares(flat, at[b.layer()] + b.from(), at[b.layer()] + b.to());
    }
    double norm = GradClip.norm(sums);
    AdamW.StepScalars scalars = adamW.scalars(step, lr, GradClip.scale(norm, adamW.config().gradClip()));
    for (BlockRef b : all) {
      int l = b.layer();
      adamW.update(Slice.whole(p[l]), new Slice(flat, -at[l]), Slice.whole(state.m()[l]), Slice.whole(state.v()[l]),
          model.layer(l).tensors(), b.from(), b.to(), scalars);
    }
    return norm;
  }

  /** Applies step {@code step}'s update to the state in place; returns the global gradient norm. */
  public double apply(TrainState state, float[][] grads, long step, float lr) {
    List<BlockRef> all = blocks.all();
    double[] sums = new double[all.size()];
    for (int i = 0; i < sums.length; i++) {
      BlockRef b = all.get(i);
      sums[i] = GradClip.blockSumOfSquares(grads[b.layer()], b.from(), b.to());
    }
    double norm = GradClip.norm(sums);
    AdamW.StepScalars scalars = adamW.scalars(step, lr, GradClip.scale(norm, adamW.config().gradClip()));
    for (BlockRef b : all) {
      int l = b.layer();
      adamW.update(Slice.whole(state.params()[l]), Slice.whole(grads[l]), Slice.whole(state.m()[l]),
          Slice.whole(state.v()[l]), model.layer(l).tensors(), b.from(), b.to(), scalars);
    }
    return norm;
  }
}
