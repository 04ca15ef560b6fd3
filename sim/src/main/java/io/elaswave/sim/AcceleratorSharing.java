package io.elaswave.sim;

import io.elaswave.planner.Layout;
import io.elaswave.planner.NodeId;
import io.elaswave.planner.RankId;
import io.elaswave.planner.StageAssignment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Speeds of ranks that share accelerators. A node with more working ranks than accelerators
 * doubles up ranks that hold the same layers (a ReCycle stand-in beside its peer) on one
 * accelerator, each at 1/k of its speed, with no bubble absorbed; if that is still too many,
 * all of them share what is left.
 */
final class AcceleratorSharing {
  private AcceleratorSharing() {}

  /** The ranks of {@code layout} slower than 1, with their speed. */
  static Map<RankId, Double> speeds(Layout layout, int perNode) {
    Map<NodeId, List<StageAssignment>> byNode = new HashMap<>();
    for (StageAssignment s : layout.stages()) {
      byNode.computeIfAbsent(layout.nodeOf(s.rank()), n -> new ArrayList<>()).add(s);
    }
    Map<RankId, Double> speeds = new HashMap<>();
    for (List<StageAssignment> onNode : byNode.values()) {
      if (onNode.size() <= perNode) {
        continue;
      }
      Map<List<Integer>, List<StageAssignment>> sameLayers = new HashMap<>();
      onNode.forEach(s -> sameLayers.computeIfAbsent(List.of(s.layerFrom(), s.layerTo()), k -> new ArrayList<>())
          .add(s));
      double pooled = Math.min(1.0, (double) perNode / sameLayers.size()); // accelerators for the groups left
      for (List<StageAssignment> group : sameLayers.values()) {
        double share = pooled / group.size();
        if (share < 1) {
          group.forEach(s -> speeds.put(s.rank(), share));
        }
      }
    }
    return speeds;
  }
}
