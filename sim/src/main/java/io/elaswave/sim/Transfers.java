package io.elaswave.sim;

import io.elaswave.engine.param.ParamBlocks;
import io.elaswave.planner.Layout;
import io.elaswave.planner.ModelProfile;
import io.elaswave.planner.NodeId;
import io.elaswave.planner.StageAssignment;
import io.elaswave.planner.elastic.Shadow;
import io.elaswave.planner.elastic.Transfer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Network time in the model, from bytes over each node's link (its accelerators share it): a
 * plan's transfers take as long as the busiest node needs to send or receive its bytes; the
 * data-parallel gradient exchange of a step (ZeRO-1: reduce-scatter of bf16 gradients, all-gather
 * of bf16 weights, each about twice a stage's parameters per rank) is not overlapped with compute.
 * A block's parameters move as bf16 (2 B each), its optimizer state as fp32 master weights and
 * moments (12 B each).
 */
final class Transfers {
  static final double PARAM_BYTES = 2;
  static final double STATE_BYTES = 12;

  private Transfers() {}

  /** Seconds for a plan's transfers from {@code before}'s ranks to {@code next}'s. */
  static double seconds(Layout before, Layout next, List<Transfer> transfers, ParamBlocks blocks, long unit,
      Hardware h) {
    if (transfers.isEmpty()) {
      return 0;
    }
    Map<NodeId, Double> out = new HashMap<>();
    Map<NodeId, Double> in = new HashMap<>();
    for (Transfer t : transfers) {
      double bytes = blockParams(blocks, unit, t.layer(), t.block())
          * (t.kind() == Transfer.Kind.PARAMS ? PARAM_BYTES : STATE_BYTES);
      out.merge(before.nodeOf(t.from()), bytes, Double::sum);
      in.merge(next.nodeOf(t.to()), bytes, Double::sum);
    }
    return busiest(out, in) / h.nodeBandwidth() + h.latencySeconds();
  }

  /** Seconds to bring every shadow its block's full state once (a background migration's copy). */
  static double shadowSeconds(Layout installed, List<Shadow> shadows, ParamBlocks blocks, long unit, Hardware h) {
    if (shadows.isEmpty()) {
      return 0;
    }
    Map<NodeId, Double> out = new HashMap<>();
    Map<NodeId, Double> in = new HashMap<>();
    for (Shadow s : shadows) {
      double bytes = blockParams(blocks, unit, s.layer(), s.block()) * (PARAM_BYTES + STATE_BYTES);
      out.merge(installed.nodeOf(s.owner()), bytes, Double::sum);
      in.merge(installed.nodeOf(s.holder()), bytes, Double::sum);
    }
    return busiest(out, in) / h.nodeBandwidth() + h.latencySeconds();
  }

  /** Seconds of a step's gradient exchange: the busiest node's share of every rank's. */
  static double gradientSeconds(Layout layout, ModelProfile profile, long unit, Hardware h) {
    if (layout.dp() < 2) {
      return 0;
    }
    Map<NodeId, Double> bytes = new HashMap<>();
    int[] sizes = profile.layerSizes();
    for (StageAssignment s : layout.stages()) {
      double params = 0;
      for (int l = s.layerFrom(); l < s.layerTo(); l++) {
        params += (double) sizes[l] * unit;
      }
      bytes.merge(layout.nodeOf(s.rank()), 2 * PARAM_BYTES * params, Double::sum);
    }
    return bytes.values().stream().mapToDouble(Double::doubleValue).max().orElse(0) / h.nodeBandwidth();
  }

  private static double blockParams(ParamBlocks blocks, long unit, int layer, int block) {
    return (double) blocks.blocks(layer).get(block).size() * unit;
  }

  private static double busiest(Map<NodeId, Double> out, Map<NodeId, Double> in) {
    double most = 0;
    for (double b : out.values()) {
      most = Math.max(most, b);
    }
    for (double b : in.values()) {
      most = Math.max(most, b);
    }
    return most;
  }
}
