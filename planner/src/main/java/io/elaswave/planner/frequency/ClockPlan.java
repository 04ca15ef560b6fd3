package io.elaswave.planner.frequency;

import io.elaswave.planner.Require;
import io.elaswave.planner.NodeId;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every node's clock for one layout epoch, with the reason it was chosen (as a layout carries
 * its reason) and the modelled step before (all nodes nominal) and after.
 *
 * @param epoch the layout epoch the clocks are for
 * @param mode {@code off}, {@code energy}, {@code power-cap=W}
 * @param clocks by node, fractions of the nominal clock
 */
public record ClockPlan(long epoch, String mode, Map<NodeId, Double> clocks, String reason, ClockModel.Step nominal,
    ClockModel.Step planned) {
  public ClockPlan {
    Require.that(clocks != null && reason != null && nominal != null && planned != null, "clock plan parts must be set");
    clocks.forEach((n, f) -> Require.that(Double.isFinite(f) && f > 0, "clock of " + n + " must be > 0, got " + f));
    clocks = java.util.Collections.unmodifiableMap(new TreeMap<>(clocks));
  }

  /** The clock of {@code node}: 1 unless planned. */
  public double clock(NodeId node) {
    return clocks.getOrDefault(node, 1.0);
  }

  /** Whether every node stays at its nominal clock. */
  public boolean nominalOnly() {
    return clocks.values().stream().allMatch(f -> f == 1.0);
  }
}
