package io.elaswave.planner;

import io.elaswave.engine.param.ParamBlocks;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The first layout of a job (epoch 1): ranks sorted by id fill replicas in order, replica r taking
 * ranks r·pp … r·pp+pp−1 as stages 0..pp−1; every replica uses the one minimax partition of the
 * profiled layer costs; micro-batch ids are split evenly; block owners follow {@link BlockOwners}.
 */
public final class StaticPlanner {
  private StaticPlanner() {}

  public static Layout plan(PlanRequest request) {
    ModelProfile model = request.model();
    int dp = request.dp();
    int pp = request.pp();
    StagePartition partition =
        StagePartitioner.partition(model.layerCosts(), model.layerMemory(), request.memoryCap(), pp);
    List<RankId> ordered = request.ranks().stream().map(RankInfo::rank).sorted().toList();
    List<StageAssignment> stages = new ArrayList<>(dp * pp);
    for (int r = 0; r < dp; r++) {
      for (int s = 0; s < pp; s++) {
        LayerRange layers = partition.stages().get(s);
        stages.add(new StageAssignment(ordered.get(r * pp + s), r, s, layers.from(), layers.to()));
      }
    }
    ParamBlocks blocks = model.paramBlocks();
    String reason = String.format(Locale.ROOT, "initial dp%dxpp%d, stages %s, bottleneck %.4g",
        dp, pp, partition, partition.bottleneck());
    Layout layout = new Layout(Layout.INITIAL_EPOCH, model.layerCount(), request.microBatches(), request.ranks(),
        stages, MicroBatchAssigner.assignEqual(request.microBatches(), dp), BlockOwners.interleaved(stages, blocks),
        reason);
    LayoutValidator.require(layout, blocks);
    return layout;
  }
}
