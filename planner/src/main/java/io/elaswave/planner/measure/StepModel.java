package io.elaswave.planner.measure;

import io.elaswave.planner.Layout;
import io.elaswave.planner.StageAssignment;
import io.elaswave.planner.recovery.Measurements;
import java.util.List;

/**
 * The compute time of a step under a layout, predicted from measurements: stage s of a replica
 * takes t_s = (its layers' cost) / (its rank's speed) per micro-batch, and 1F1B over n
 * micro-batches takes Σ t_s (the first micro-batch through, then back) + (n − 1) · max t_s (the
 * bottleneck stage sets the pace of the rest). The step waits for the slowest replica. Units are
 * the measurements' (milliseconds at speed 1 once measured). Communication is left out: it is
 * what the re-plan cannot change.
 */
public final class StepModel {
  private StepModel() {}

  /** Predicted compute time of one step: the slowest replica's. */
  public static double stepTime(Layout layout, Measurements m) {
    double worst = 0;
    for (int r = 0; r < layout.dp(); r++) {
      worst = Math.max(worst, replicaTime(layout, r, m));
    }
    return worst;
  }

  /** Predicted compute time of one replica's micro-batches. */
  public static double replicaTime(Layout layout, int replica, Measurements m) {
    List<StageAssignment> stages = layout.stagesOfReplica(replica);
    double sum = 0;
    double max = 0;
    for (StageAssignment s : stages) {
      double t = stageTime(s.layerFrom(), s.layerTo(), m.speed(s.rank()), m);
      sum += t;
      max = Math.max(max, t);
    }
    return sum + (layout.microBatchesOf(replica).size() - 1) * max;
  }

  /** Time per micro-batch of layers [from, to) on a rank of {@code speed}. */
  public static double stageTime(int from, int to, double speed, Measurements m) {
    return m.profile().costOf(from, to) / speed;
  }
}
