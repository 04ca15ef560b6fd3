package io.elaswave.planner;

import io.elaswave.engine.reduce.ReductionTree;
import io.elaswave.engine.reduce.TreeNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The plan of one epoch (DESIGN.md §2): which rank runs which stage of which replica, which
 * micro-batch ids each replica runs, and which rank owns each ZeRO block, with the reason it was made.
 *
 * <p>Replicas may have different numbers of stages and different partitions (after an elastic
 * re-plan only the hit replica changes), so nothing here assumes a common pipeline depth. Block
 * ownership is a general table, {@code blockOwners.get(layer).get(block)}, not a formula, and
 * {@code microBatchRanges.get(replica)} is the replica's id range. Lists
 * are stored in canonical order (ranks by id, stages by (replica, stage)), and the constructor
 * rejects any layout that breaks an invariant of {@link LayoutValidator}, so every instance is
 * valid. Queries by rank, replica or stage use the canonical order (a binary search), so they
 * stay cheap at 10^5 ranks: the planner calls them on the recovery path.
 *
 * <p>Two things only the baseline policies use: {@code standby} ranks are live ranks of the job
 * that run no stage this epoch (TorchFT's waiting survivors of a stopped replica; ReCycle's
 * stand-ins on a peer's node), and the ranges may leave ids out, which makes a step's batch
 * smaller than G ({@link #fullBatch()} false): TorchFT's dynamic world size. ElasWave's plans
 * always keep the full batch and have no standby.
 */
public record Layout(long epoch, int layerCount, int microBatches, List<RankInfo> ranks,
    List<StageAssignment> stages, List<MicroBatchRange> microBatchRanges, List<List<RankId>> blockOwners,
    String reason, List<RankInfo> standby) {

  /** The epoch of the first layout of a job. */
  public static final long INITIAL_EPOCH = 1;

  private static final Comparator<StageAssignment> PIPELINE_ORDER =
      Comparator.comparingInt(StageAssignment::replica).thenComparingInt(StageAssignment::stage);

  /** A layout with no standby ranks (every plan ElasWave makes). */
  public Layout(long epoch, int layerCount, int microBatches, List<RankInfo> ranks,
      List<StageAssignment> stages, List<MicroBatchRange> microBatchRanges, List<List<RankId>> blockOwners,
      String reason) {
    this(epoch, layerCount, microBatches, ranks, stages, microBatchRanges, blockOwners, reason, List.of());
  }

  public Layout(long epoch, int layerCount, int microBatches, List<RankInfo> ranks,
      List<StageAssignment> stages, List<MicroBatchRange> microBatchRanges, List<List<RankId>> blockOwners,
      String reason, List<RankInfo> standby) {
    Require.that(ranks != null && stages != null && microBatchRanges != null && blockOwners != null
        && standby != null, "layout lists must not be null");
    this.epoch = epoch;
    this.layerCount = layerCount;
    this.microBatches = microBatches;
    this.ranks = ranks.stream().sorted(Comparator.comparing(RankInfo::rank)).toList();
    this.stages = stages.stream().sorted(PIPELINE_ORDER).toList();
    this.microBatchRanges = List.copyOf(microBatchRanges);
    this.blockOwners = blockOwners.stream().map(List::copyOf).toList();
    this.reason = reason;
    this.standby = standby.stream().sorted(Comparator.comparing(RankInfo::rank)).toList();
    LayoutValidator.require(this);
  }

  /** The same plan under another epoch (a re-plan that replaces an unfinished one needs a fresh epoch). */
  public Layout withEpoch(long newEpoch) {
    return new Layout(newEpoch, layerCount, microBatches, ranks, stages, microBatchRanges, blockOwners, reason,
        standby);
  }

  /** The same plan with these standby ranks (replacing any it had). */
  public Layout withStandby(List<RankInfo> newStandby) {
    return new Layout(epoch, layerCount, microBatches, ranks, stages, microBatchRanges, blockOwners, reason,
        newStandby);
  }

  /** Every rank of the job this epoch: those with a stage, then the standby ranks. */
  public List<RankInfo> allRanks() {
    List<RankInfo> all = new ArrayList<>(ranks);
    all.addAll(standby);
    return List.copyOf(all);
  }

  public boolean isStandby(RankId rank) {
    return find(standby, rank) >= 0;
  }

  /** Micro-batches a step of this layout runs: G, unless a replica was dropped with its ids. */
  public int batchMicroBatches() {
    return microBatchRanges.stream().mapToInt(MicroBatchRange::size).sum();
  }

  /** Whether a step runs all G micro-batches (the global batch kept). */
  public boolean fullBatch() {
    return batchMicroBatches() == microBatches;
  }

  /** Data-parallel degree: the number of replicas. */
  public int dp() {
    return stages.isEmpty() ? 0 : stages.get(stages.size() - 1).replica() + 1;
  }

  /** Pipeline depth of one replica. */
  public int stageCount(int replica) {
    return stagesOfReplica(replica).size();
  }

  /** Short name, e.g. {@code dp2xpp2@epoch1}; replicas of different depths show as {@code pp[2,1]}. */
  public String name() {
    List<Integer> depths = new ArrayList<>();
    for (StageAssignment s : stages) {
      if (s.replica() == depths.size()) {
        depths.add(0);
      }
      depths.set(depths.size() - 1, depths.get(depths.size() - 1) + 1);
    }
    boolean uniform = depths.stream().distinct().count() == 1;
    String pp = uniform ? String.valueOf(depths.get(0))
        : depths.stream().map(String::valueOf).collect(Collectors.joining(",", "[", "]"));
    return "dp" + dp() + "xpp" + pp + "@epoch" + epoch;
  }

  public List<RankId> rankIds() {
    return ranks.stream().map(RankInfo::rank).toList();
  }

  public boolean contains(RankId rank) {
    return find(ranks, rank) >= 0;
  }

  /** The node of a rank with a stage or on standby. */
  public NodeId nodeOf(RankId rank) {
    int at = find(ranks, rank);
    if (at >= 0) {
      return ranks.get(at).node();
    }
    at = find(standby, rank);
    if (at >= 0) {
      return standby.get(at).node();
    }
    throw unknown(rank);
  }

  /** The ranks on one node (standby included), by id: the ranks a node failure takes down together. */
  public List<RankId> ranksOnNode(NodeId node) {
    return allRanks().stream().filter(i -> i.node().equals(node)).map(RankInfo::rank).sorted().toList();
  }

  public StageAssignment stageOf(RankId rank) {
    StageAssignment s = LayoutIndex.of(this).stageOf(rank);
    if (s == null) {
      throw unknown(rank);
    }
    return s;
  }

  /** The stages of one replica, in pipeline order. */
  public List<StageAssignment> stagesOfReplica(int replica) {
    requireReplica(replica);
    LayoutIndex index = LayoutIndex.of(this);
    return stages.subList(index.replicaStart(replica), index.replicaStart(replica + 1));
  }

  /** The ranks of one replica, in pipeline (stage) order. */
  public List<RankId> ranksOfReplica(int replica) {
    return stagesOfReplica(replica).stream().map(StageAssignment::rank).toList();
  }

  /** The rank holding {@code layer} in each replica, by replica: the layer's data-parallel group. */
  public List<RankId> holdersOfLayer(int layer) {
    requireLayer(layer);
    return LayoutIndex.of(this).holdersOf(layer);
  }

  /** The next rank downstream in the rank's pipeline, empty for a last stage. */
  public Optional<RankId> nextRank(RankId rank) {
    return neighbour(stageOf(rank), +1);
  }

  /** The previous rank upstream in the rank's pipeline, empty for a first stage. */
  public Optional<RankId> prevRank(RankId rank) {
    return neighbour(stageOf(rank), -1);
  }

  public int blockCount(int layer) {
    requireLayer(layer);
    return blockOwners.get(layer).size();
  }

  public RankId ownerOfBlock(int layer, int block) {
    if (block < 0 || block >= blockCount(layer)) {
      throw new IllegalArgumentException("layer " + layer + " has " + blockCount(layer) + " blocks, no block " + block);
    }
    return blockOwners.get(layer).get(block);
  }

  /** The blocks a rank owns (keeps optimizer state for and reduces), in (layer, block) order. */
  public List<BlockId> blocksOwnedBy(RankId rank) {
    List<BlockId> owned = new ArrayList<>();
    for (int l = 0; l < blockOwners.size(); l++) {
      List<RankId> owners = blockOwners.get(l);
      for (int b = 0; b < owners.size(); b++) {
        if (owners.get(b).equals(rank)) {
          owned.add(new BlockId(l, b));
        }
      }
    }
    return owned;
  }

  public MicroBatchRange microBatchesOf(int replica) {
    requireReplica(replica);
    return microBatchRanges.get(replica);
  }

  /** The reduction-tree nodes whose sums this replica sends (DESIGN.md §6.5). */
  public List<TreeNode> reductionCover(int replica) {
    MicroBatchRange range = microBatchesOf(replica);
    return new ReductionTree(microBatches).cover(range.from(), range.to());
  }

  /** One line per replica: its ids, then each stage's rank and layers. */
  public String describe() {
    StringBuilder out = new StringBuilder(name()).append(": ").append(reason);
    for (int r = 0; r < dp(); r++) {
      out.append("\n  replica ").append(r).append(" ids ").append(microBatchRanges.get(r)).append(':');
      for (StageAssignment s : stagesOfReplica(r)) {
        out.append(' ').append(s.rank()).append("@").append(nodeOf(s.rank()))
            .append(" L[").append(s.layerFrom()).append(',').append(s.layerTo()).append(')');
      }
    }
    if (!standby.isEmpty()) {
      out.append("\n  standby:");
      standby.forEach(i -> out.append(' ').append(i.rank()).append('@').append(i.node()));
    }
    return out.toString();
  }

  @Override public String toString() {
    return name() + " (" + reason + ")";
  }

  private Optional<RankId> neighbour(StageAssignment at, int step) {
    int i = firstStage(at.replica(), at.stage() + step);
    return i < stages.size() && stages.get(i).replica() == at.replica() && stages.get(i).stage() == at.stage() + step
        ? Optional.of(stages.get(i).rank()) : Optional.empty();
  }

  /** The index of the first stage at or after (replica, stage) in pipeline order. */
  private int firstStage(int replica, int stage) {
    int lo = 0;
    int hi = stages.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      StageAssignment s = stages.get(mid);
      if (s.replica() < replica || (s.replica() == replica && s.stage() < stage)) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** Where {@code rank} is in a list sorted by rank, or a negative number. */
  private static int find(List<RankInfo> sorted, RankId rank) {
    int lo = 0;
    int hi = sorted.size() - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int c = sorted.get(mid).rank().compareTo(rank);
      if (c < 0) {
        lo = mid + 1;
      } else if (c > 0) {
        hi = mid - 1;
      } else {
        return mid;
      }
    }
    return -1;
  }

  private void requireReplica(int replica) {
    if (replica < 0 || replica >= dp()) {
      throw new IllegalArgumentException(name() + " has replicas 0.." + (dp() - 1) + ", no replica " + replica);
    }
  }

  private void requireLayer(int layer) {
    if (layer < 0 || layer >= layerCount) {
      throw new IllegalArgumentException(name() + " has layers 0.." + (layerCount - 1) + ", no layer " + layer);
    }
  }

  private IllegalArgumentException unknown(RankId rank) {
    return new IllegalArgumentException(rank + " is not in layout " + name());
  }
}
