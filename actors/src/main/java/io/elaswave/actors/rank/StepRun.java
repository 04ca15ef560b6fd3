package io.elaswave.actors.rank;

import io.elaswave.engine.model.Layer;
import io.elaswave.engine.model.MicroBatch;
import io.elaswave.engine.reduce.RangeAccumulator;
import io.elaswave.engine.reduce.ReductionTree;
import io.elaswave.planner.MicroBatchRange;
import io.elaswave.planner.schedule.OneFOneBSchedule;
import io.elaswave.planner.schedule.PipelineOp;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One step of one stage: the remaining 1F1B operations, inputs that arrived ahead of their
 * operation, what forwards saved for backward, the loss sums (last stage) and the reduction-tree
 * accumulator of this stage's layer gradients over the replica's micro-batch range; then the
 * progress of the update: the reduce-scatter sent, the norms reported, the owned blocks updated
 * and how many blocks other owners have sent back; and the step's measurements.
 */
final class StepRun {
  final long step;
  final MicroBatchRange range;
  final Deque<PipelineOp> ops;
  final Map<Integer, float[]> activations = new HashMap<>();
  final Map<Integer, float[]> activationGrads = new HashMap<>();
  final Map<Integer, List<Layer.Forward>> saved = new HashMap<>();
  final Map<Integer, MicroBatch> batches = new HashMap<>();
  final double[] lossSums;
  final RangeAccumulator gradients;
  final int remoteExpected;
  final ComputeMeter meter;
  int remoteReceived;
  boolean reduceSent;
  boolean normsSent;
  boolean ownUpdated;
  int gathersPending;
  int snapshotAcksPending;

  StepRun(long step, int stage, int stages, MicroBatchRange range, ReductionTree tree, int remoteExpected,
      int layerFrom, int layerTo) {
    this.step = step;
    this.range = range;
    this.ops = new ArrayDeque<>(OneFOneBSchedule.forStage(stage, stages, range.from(), range.size()));
    this.lossSums = new double[range.size()];
    this.gradients = new RangeAccumulator(tree, range.from(), range.to());
    this.remoteExpected = remoteExpected;
    this.meter = new ComputeMeter(layerFrom, layerTo, range.size());
  }

  boolean computeDone() {
    return ops.isEmpty();
  }
}
