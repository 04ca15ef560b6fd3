package io.elaswave.planner.recovery;

import io.elaswave.planner.Layout;
import io.elaswave.planner.RankId;
import io.elaswave.planner.RankInfo;
import io.elaswave.planner.StageAssignment;
import io.elaswave.planner.elastic.SnapshotBuddies;
import io.elaswave.planner.elastic.Transfer;
import io.elaswave.planner.elastic.TransferPlan;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/** Small pieces the baseline policies share for editing a committed layout. */
final class LayoutEdit {
  private LayoutEdit() {}

  /** Replica {@code replica}'s stages as replica {@code as}, unchanged otherwise. */
  static List<StageAssignment> renumbered(Layout layout, int replica, int as) {
    return layout.stagesOfReplica(replica).stream()
        .map(s -> new StageAssignment(s.rank(), as, s.stage(), s.layerFrom(), s.layerTo())).toList();
  }

  /** The rank infos (staged or standby) of {@code ranks}, by id. */
  static List<RankInfo> infos(Layout layout, Collection<RankId> ranks) {
    return layout.allRanks().stream().filter(i -> ranks.contains(i.rank())).toList();
  }

  /** The committed replicas that lost a rank, in order. */
  static List<Integer> hitReplicas(Layout layout, Set<RankId> lost) {
    List<Integer> hit = new ArrayList<>();
    for (int r = 0; r < layout.dp(); r++) {
      if (layout.ranksOfReplica(r).stream().anyMatch(lost::contains)) {
        hit.add(r);
      }
    }
    return hit;
  }

  /** The transfers from {@code committed} to {@code next} with {@code lost} gone, as a live plan. */
  static RecoveryPlan live(Layout committed, Layout next, Set<RankId> lost, Measurements m) {
    List<Transfer> transfers = TransferPlan.between(committed, next, lost, SnapshotBuddies.of(committed),
        m.profile().paramBlocks());
    return new RecoveryPlan(next, transfers, next.reason());
  }
}
