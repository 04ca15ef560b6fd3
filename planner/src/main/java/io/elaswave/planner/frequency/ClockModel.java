package io.elaswave.planner.frequency;

import io.elaswave.planner.Layout;
import io.elaswave.planner.NodeId;
import io.elaswave.planner.RankId;
import io.elaswave.planner.StageAssignment;
import io.elaswave.planner.measure.StepModel;
import io.elaswave.planner.recovery.Measurements;
import java.util.Map;

/**
 * A layout's step under given node clocks, modelled as {@link StepModel} does: stage s of a
 * replica takes t_s / f per micro-batch at clock f (t_s its measured time at the nominal clock),
 * 1F1B over n micro-batches takes Σ t_s/f_s + (n − 1) · max t_s/f_s, and the step waits for the
 * slowest replica. A rank computes n · t_s/f_s of that and waits the rest; its device draws
 * {@link PowerModel#meanWatts} over the step. The step's time outside compute (collectives, the
 * update, the ledger: measured, {@code overheadMillis}) is added as time every device idles at
 * static power; clocks do not change it.
 */
public final class ClockModel {
  /** Modelled figures of one step: its time (measurement units, ms once measured) and the job's mean power. */
  public record Step(double millis, double watts, double joules) {}

  private ClockModel() {}

  /** Rank {@code rank}'s time per micro-batch at the nominal clock. */
  public static double nominalStageMillis(Layout layout, RankId rank, Measurements m) {
    StageAssignment s = layout.stageOf(rank);
    return StepModel.stageTime(s.layerFrom(), s.layerTo(), m.speed(rank), m);
  }

  /** The step's compute at {@code clocks} (a node not in the map runs at 1), no overhead. */
  public static Step step(Layout layout, Measurements m, Map<NodeId, Double> clocks, PowerModel power) {
    return step(layout, m, clocks, power, 0);
  }

  /** The step at {@code clocks}, with {@code overheadMillis} outside compute. */
  public static Step step(Layout layout, Measurements m, Map<NodeId, Double> clocks, PowerModel power,
      double overheadMillis) {
    double millis = Math.max(0, overheadMillis);
    double compute = 0;
    for (int r = 0; r < layout.dp(); r++) {
      compute = Math.max(compute, replicaMillis(layout, r, m, clocks));
    }
    millis += compute;
    double watts = 0;
    for (int r = 0; r < layout.dp(); r++) {
      int n = layout.microBatchesOf(r).size();
      for (StageAssignment s : layout.stagesOfReplica(r)) {
        double f = clock(layout, s.rank(), clocks);
        double busy = n * nominalStageMillis(layout, s.rank(), m) / f;
        watts += power.meanWatts(f, millis > 0 ? busy / millis : 0);
      }
    }
    return new Step(millis, watts, watts * millis / 1e3);
  }

  /** Replica {@code replica}'s 1F1B time at {@code clocks}. */
  public static double replicaMillis(Layout layout, int replica, Measurements m, Map<NodeId, Double> clocks) {
    double sum = 0;
    double max = 0;
    for (StageAssignment s : layout.stagesOfReplica(replica)) {
      double t = nominalStageMillis(layout, s.rank(), m) / clock(layout, s.rank(), clocks);
      sum += t;
      max = Math.max(max, t);
    }
    return sum + (layout.microBatchesOf(replica).size() - 1) * max;
  }

  static double clock(Layout layout, RankId rank, Map<NodeId, Double> clocks) {
    return clocks.getOrDefault(layout.nodeOf(rank), 1.0);
  }
}
