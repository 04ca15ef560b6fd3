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
    return plan(request, new long[request.model().layerCount()]);
  }

  /**
   * The first layout, with {@code activationBytes} per layer and micro-batch counted against the
   * memory cap for every micro-batch a stage keeps in flight under 1F1B (pp − s at stage s).
   *
   * @throws InfeasiblePartitionException with the reason if no partition fits the cap
   */
  public static Layout plan(PlanRequest request, long[] activationBytes) {
    ModelProfile model = request.model();
    int dp = request.dp();
    int pp = request.pp();
    double[] speeds = new double[pp];
    int[] inFlight = new int[pp];
    for (int s = 0; s < pp; s++) {
      speeds[s] = 1.0;
      inFlight[s] = Math.min(pp - s, (request.microBatches() + dp - 1) / dp);
    }
    StagePartition partition = StagePartitioner.partition(model.layerCosts(), model.layerMemory(), activationBytes,
        speeds, inFlight, request.memoryCap());
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

  /**
   * The smallest memory cap (to {@code grainBytes}) under which {@link #plan(PlanRequest, long[])}
   * finds a partition for {@code request}'s shape (its own cap is ignored): what the largest stage of
   * the best-fitting first plan holds. Feasibility only grows with the cap, so a bisection finds it.
   *
   * @throws InfeasiblePartitionException if not even {@code StagePartitioner.NO_MEMORY_CAP} fits
   */
  public static long leastMemoryCap(PlanRequest request, long[] activationBytes, long grainBytes) {
    Require.that(grainBytes > 0, "grain must be > 0 bytes, got " + grainBytes);
    long hi = StagePartitioner.NO_MEMORY_CAP / grainBytes;
    plan(withCap(request, hi * grainBytes), activationBytes); // throws if nothing fits at all
    long lo = 0; // lo infeasible (or zero), hi feasible
    while (hi - lo > 1) {
      long mid = lo + (hi - lo) / 2;
      if (fits(withCap(request, mid * grainBytes), activationBytes)) {
        hi = mid;
      } else {
        lo = mid;
      }
    }
    return hi * grainBytes;
  }

  private static boolean fits(PlanRequest request, long[] activationBytes) {
    try {
      plan(request, activationBytes);
      return true;
    } catch (InfeasiblePartitionException e) {
      return false;
    }
  }

  private static PlanRequest withCap(PlanRequest r, long cap) {
    return new PlanRequest(r.ranks(), r.dp(), r.pp(), r.microBatches(), r.model(), cap);
  }
}
