package io.elaswave.planner;

import io.elaswave.engine.param.ParamBlocks;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The invariants of a {@link Layout}, each broken one reported as a sentence:
 * <ul>
 *   <li>epoch >= 1, a non-blank reason, at least one layer and one micro-batch;
 *   <li>rank ids are distinct, and the ranks listed are exactly the ranks with a stage; standby
 *       ranks are none of them;
 *   <li>replicas are numbered 0..dp−1; each replica's stages are numbered 0..k−1 and their layer
 *       ranges are contiguous and cover [0, L), so every layer is held exactly once per replica;
 *   <li>one micro-batch range per replica, each non-empty, together disjoint within [0, G) (a
 *       range left out shrinks the batch: see {@link Layout#fullBatch()});
 *   <li>one owner per block of every layer, and the owner holds that layer.
 * </ul>
 * {@link #violations(Layout, ParamBlocks)} adds that each layer has exactly its canonical blocks.
 */
public final class LayoutValidator {
  private LayoutValidator() {}

  /** Throws {@link IllegalArgumentException} listing every broken invariant. */
  public static void require(Layout layout) {
    report(violations(layout));
  }

  /** As {@link #require(Layout)}, and the block table must match the model's canonical blocks. */
  public static void require(Layout layout, ParamBlocks blocks) {
    report(violations(layout, blocks));
  }

  public static List<String> violations(Layout layout, ParamBlocks blocks) {
    List<String> out = violations(layout);
    if (blocks.layerCount() != layout.layerCount()) {
      out.add("the model has " + blocks.layerCount() + " layers but the layout has " + layout.layerCount());
      return out;
    }
    for (int l = 0; l < layout.layerCount() && l < layout.blockOwners().size(); l++) {
      int expected = blocks.blocks(l).size();
      int actual = layout.blockOwners().get(l).size();
      if (expected != actual) {
        out.add("layer " + l + " has " + expected + " canonical blocks but " + actual + " owners");
      }
    }
    return out;
  }

  public static List<String> violations(Layout layout) {
    List<String> out = new ArrayList<>();
    if (layout.epoch() < Layout.INITIAL_EPOCH) {
      out.add("epoch must be >= " + Layout.INITIAL_EPOCH + ", got " + layout.epoch());
    }
    if (layout.reason() == null || layout.reason().isBlank()) {
      out.add("a layout must say why it was made (blank reason)");
    }
    if (layout.layerCount() < 1 || layout.microBatches() < 1) {
      out.add("need at least one layer and one micro-batch, got " + layout.layerCount() + " and "
          + layout.microBatches());
      return out; // the checks below count against these
    }
    java.util.Map<RankId, StageAssignment> stageOf = checkRanks(layout, out);
    int dp = checkReplicas(layout, out);
    checkMicroBatches(layout, dp, out);
    checkBlockOwners(layout, stageOf, out);
    return out;
  }

  /** Checks ranks against stages; returns each staged rank's (first) stage. */
  private static java.util.Map<RankId, StageAssignment> checkRanks(Layout layout, List<String> out) {
    Set<RankId> listed = new HashSet<>();
    for (RankInfo info : layout.ranks()) {
      if (!listed.add(info.rank())) {
        out.add(info.rank() + " is listed twice");
      }
    }
    java.util.Map<RankId, StageAssignment> staged = new java.util.HashMap<>(2 * layout.stages().size());
    for (StageAssignment s : layout.stages()) {
      if (staged.putIfAbsent(s.rank(), s) != null) {
        out.add(s.rank() + " runs more than one stage");
      }
      if (!listed.contains(s.rank())) {
        out.add(s.rank() + " runs a stage but has no node");
      }
    }
    listed.stream().filter(r -> !staged.containsKey(r)).sorted()
        .forEach(r -> out.add(r + " is listed but runs no stage"));
    Set<RankId> waiting = new HashSet<>();
    for (RankInfo info : layout.standby()) {
      if (!waiting.add(info.rank()) || listed.contains(info.rank())) {
        out.add(info.rank() + " is on standby and listed again");
      }
    }
    return staged;
  }

  /** Checks every replica's pipeline; returns dp. Stages arrive sorted by (replica, stage). */
  private static int checkReplicas(Layout layout, List<String> out) {
    List<StageAssignment> stages = layout.stages();
    if (stages.isEmpty()) {
      out.add("a layout needs at least one stage");
      return 0;
    }
    int dp = stages.get(stages.size() - 1).replica() + 1;
    List<List<StageAssignment>> pipelines = new java.util.ArrayList<>();
    for (int r = 0; r < dp; r++) {
      pipelines.add(new java.util.ArrayList<>());
    }
    for (StageAssignment s : stages) {
      if (s.replica() >= 0 && s.replica() < dp) {
        pipelines.get(s.replica()).add(s);
      }
    }
    for (int r = 0; r < dp; r++) {
      checkPipeline(r, pipelines.get(r), layout.layerCount(), out);
    }
    return dp;
  }

  private static void checkPipeline(int replica, List<StageAssignment> pipeline, int layers, List<String> out) {
    if (pipeline.isEmpty()) {
      out.add("replica " + replica + " has no stages");
      return;
    }
    int nextLayer = 0;
    for (int s = 0; s < pipeline.size(); s++) {
      StageAssignment stage = pipeline.get(s);
      if (stage.stage() != s) {
        out.add("replica " + replica + " has stage " + stage.stage() + " where stage " + s + " belongs");
      }
      if (stage.layerFrom() != nextLayer) {
        out.add("replica " + replica + " stage " + stage.stage() + " (" + stage.rank() + ") starts at layer "
            + stage.layerFrom() + " but the previous stage ends at " + nextLayer);
      }
      nextLayer = stage.layerTo();
    }
    if (nextLayer != layers) {
      out.add("replica " + replica + " ends at layer " + nextLayer + " but the model has " + layers + " layers");
    }
  }

  private static void checkMicroBatches(Layout layout, int dp, List<String> out) {
    List<MicroBatchRange> ranges = layout.microBatchRanges();
    if (ranges.size() != dp) {
      out.add("need one micro-batch range per replica: " + dp + " replicas, " + ranges.size() + " ranges");
    }
    List<MicroBatchRange> sorted = ranges.stream().sorted(Comparator.comparingInt(MicroBatchRange::from)).toList();
    int next = 0;
    for (MicroBatchRange range : sorted) {
      if (range.from() < next) {
        out.add("micro-batch ids overlap at " + range + " (the previous range ends at " + next + ")");
      }
      next = Math.max(next, range.to());
    }
    if (next > layout.microBatches()) {
      out.add("micro-batch ranges end at " + next + " but a step has " + layout.microBatches() + " micro-batches");
    }
  }

  private static void checkBlockOwners(Layout layout, java.util.Map<RankId, StageAssignment> stageOf,
      List<String> out) {
    List<List<RankId>> owners = layout.blockOwners();
    if (owners.size() != layout.layerCount()) {
      out.add("need one block-owner list per layer: " + layout.layerCount() + " layers, " + owners.size() + " lists");
      return;
    }
    for (int l = 0; l < owners.size(); l++) {
      for (int b = 0; b < owners.get(l).size(); b++) {
        RankId owner = owners.get(l).get(b);
        int layer = l;
        StageAssignment holder = stageOf.get(owner); // one stage per rank, checked above
        if (holder == null || !holder.holds(layer)) {
          out.add("block " + new BlockId(l, b) + " is owned by " + owner + ", which does not hold layer " + l);
        }
      }
    }
  }

  private static void report(List<String> violations) {
    if (!violations.isEmpty()) {
      throw new IllegalArgumentException("invalid layout: " + String.join("; ", violations));
    }
  }
}
