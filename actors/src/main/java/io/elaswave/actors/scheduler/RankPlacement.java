package io.elaswave.actors.scheduler;

import io.elaswave.planner.NodeId;
import io.elaswave.planner.RankInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Numbers ranks 0..n−1 and deals them round-robin over nodes in name order, within each
 * node's capacity. Round-robin spreads each replica's stages over nodes, so losing one node
 * leaves every replica with survivors to re-partition over.
 */
public final class RankPlacement {
  private RankPlacement() {}

  /** {@code ranks} ranks over {@code capacity} (node → room, iterated in order). */
  public static List<RankInfo> place(int ranks, Map<NodeId, Integer> capacity) {
    int room = capacity.values().stream().mapToInt(Integer::intValue).sum();
    if (room < ranks) {
      throw new IllegalArgumentException("the job needs " + ranks + " ranks but the nodes have room for " + room);
    }
    List<NodeId> nodes = new ArrayList<>(capacity.keySet());
    int[] used = new int[nodes.size()];
    List<RankInfo> placed = new ArrayList<>();
    int next = 0;
    for (int r = 0; r < ranks; r++) {
      while (used[next] >= capacity.get(nodes.get(next))) {
        next = (next + 1) % nodes.size();
      }
      placed.add(new RankInfo(io.elaswave.planner.RankId.of(r), nodes.get(next)));
      used[next]++;
      next = (next + 1) % nodes.size();
    }
    return placed;
  }
}
