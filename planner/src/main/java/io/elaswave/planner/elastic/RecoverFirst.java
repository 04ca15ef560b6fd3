package io.elaswave.planner.elastic;

import io.elaswave.planner.LayerRange;
import io.elaswave.planner.Layout;
import io.elaswave.planner.RankId;
import io.elaswave.planner.StageAssignment;
import io.elaswave.planner.measure.StepModel;
import io.elaswave.planner.recovery.Measurements;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Recover first: the partition of a hit replica that moves the least state. Survivors keep
 * every layer they hold; each run of lost stages joins whichever neighbour is faster with it, so
 * only the lost layers move (they come from other replicas or the lost rank's buddy either
 * way). Balance comes after, while steps run ({@link MigrationPlan}). Empty when a stage would
 * not fit the memory cap: the replica is then re-partitioned at once.
 */
final class RecoverFirst {
  private RecoverFirst() {}

  static Optional<List<LayerRange>> partition(Layout old, List<RankId> survivors, Measurements m) {
    List<StageAssignment> before = replicaOf(old, survivors.get(0));
    List<int[]> kept = new ArrayList<>(); // [from, to) per survivor, in stage order
    int gapFrom = -1; // first layer of the lost run being walked, or -1
    for (StageAssignment s : before) {
      if (!survivors.contains(s.rank())) {
        gapFrom = gapFrom < 0 ? s.layerFrom() : gapFrom;
        continue;
      }
      int[] mine = {s.layerFrom(), s.layerTo()};
      if (gapFrom >= 0 && kept.isEmpty()) {
        mine[0] = gapFrom; // a lost head joins the first survivor
      } else if (gapFrom >= 0) {
        int[] left = kept.get(kept.size() - 1);
        int i = kept.size();
        double leftTime = StepModel.stageTime(left[0], mine[0], m.speed(survivors.get(i - 1)), m);
        double rightTime = StepModel.stageTime(gapFrom, mine[1], m.speed(survivors.get(i)), m);
        if (leftTime <= rightTime) {
          left[1] = mine[0];
        } else {
          mine[0] = gapFrom;
        }
      }
      gapFrom = -1;
      kept.add(mine);
    }
    if (gapFrom >= 0) {
      kept.get(kept.size() - 1)[1] = old.layerCount(); // a lost tail joins the last survivor
    }
    List<LayerRange> ranges = new ArrayList<>();
    for (int s = 0; s < kept.size(); s++) {
      int[] r = kept.get(s);
      int inFlight = kept.size() - s; // 1F1B: stage s of p keeps at most p − s in flight
      if (memory(r[0], r[1], inFlight, m) > m.memoryCap()) {
        return Optional.empty();
      }
      ranges.add(new LayerRange(r[0], r[1]));
    }
    return Optional.of(ranges);
  }

  private static List<StageAssignment> replicaOf(Layout old, RankId member) {
    for (int r = 0; r < old.dp(); r++) {
      if (old.ranksOfReplica(r).contains(member)) {
        return old.stagesOfReplica(r);
      }
    }
    throw new IllegalArgumentException(member + " held no stage of " + old.name());
  }

  private static long memory(int from, int to, int inFlight, Measurements m) {
    long bytes = 0;
    for (int l = from; l < to; l++) {
      long add = m.profile().layerMemory()[l] + inFlight * m.activationBytes()[l];
      bytes = add < 0 || bytes + add < 0 ? Long.MAX_VALUE : bytes + add;
    }
    return bytes;
  }
}
