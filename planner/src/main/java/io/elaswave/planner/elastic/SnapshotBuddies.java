package io.elaswave.planner.elastic;

import io.elaswave.planner.IdentityCache;
import io.elaswave.planner.Layout;
import io.elaswave.planner.RankId;
import io.elaswave.planner.RankInfo;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Who keeps whose snapshot: ranks sorted by (node, id) form a ring, and each rank's buddy is the
 * next rank in the ring on another node, so one lost node never takes a rank and its snapshot
 * together. On a single node there is no such rank; the buddy is then the next rank (it survives
 * a lost rank, not a lost node).
 */
public final class SnapshotBuddies {
  private static final IdentityCache<Layout, Map<RankId, RankId>> CACHE = new IdentityCache<>(SnapshotBuddies::ring);

  private SnapshotBuddies() {}

  /**
   * rank → buddy, for every rank of the layout (a lone rank is its own buddy); unmodifiable, and
   * derived once per layout: the recovery path asks for the committed layout's, which its ranks
   * already asked for when it was installed (at 10^5 ranks deriving it is a tenth of a re-plan).
   */
  public static Map<RankId, RankId> of(Layout layout) {
    return CACHE.get(layout);
  }

  private static Map<RankId, RankId> ring(Layout layout) {
    List<RankInfo> ring = layout.ranks().stream()
        .sorted(Comparator.comparing(RankInfo::node).thenComparing(RankInfo::rank)).toList();
    Map<RankId, RankId> buddies = new LinkedHashMap<>();
    for (int i = 0; i < ring.size(); i++) {
      RankInfo me = ring.get(i);
      RankInfo pick = ring.get((i + 1) % ring.size());
      for (int step = 1; step < ring.size(); step++) {
        RankInfo candidate = ring.get((i + step) % ring.size());
        if (!candidate.node().equals(me.node())) {
          pick = candidate;
          break;
        }
      }
      buddies.put(me.rank(), pick.rank());
    }
    return Collections.unmodifiableMap(buddies);
  }
}
