package io.elaswave.planner.elastic;

import io.elaswave.engine.param.ParamBlocks;
import io.elaswave.planner.LayerRange;
import io.elaswave.planner.Layout;
import io.elaswave.planner.MicroBatchAssigner;
import io.elaswave.planner.MicroBatchRange;
import io.elaswave.planner.ModelProfile;
import io.elaswave.planner.RankId;
import io.elaswave.planner.RankInfo;
import io.elaswave.planner.StageAssignment;
import io.elaswave.planner.StagePartition;
import io.elaswave.planner.StagePartitioner;
import io.elaswave.planner.measure.StepModel;
import io.elaswave.planner.recovery.Measurements;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The next layout after ranks are lost or join. Replicas that keep all their ranks keep their
 * partition; a hit replica is re-partitioned over its survivors in their old stage order by the
 * minimax program over their measured speeds (under the memory cap); a replica with no survivor
 * is dropped; joiners first restore shortened replicas to {@code depth} stages, then form new
 * replicas. Micro-batch ids are re-split in proportion to each replica's speed (1 / its
 * bottleneck stage time), and block owners change only where {@link OwnerRebalance} must move
 * them. {@link #rebalance} keeps the ranks and re-plans only for speed (a rank turned slow, or
 * fast again).
 */
public final class ElasticPlanner {
  private ElasticPlanner() {}

  /** {@link #afterLoss(Layout, Set, Measurements)} with estimated costs, every rank at speed 1. */
  public static Layout afterLoss(Layout old, Set<RankId> lost, ModelProfile profile, long memoryCap) {
    return afterLoss(old, lost, estimated(profile, memoryCap));
  }

  /** {@link #afterJoin(Layout, List, int, Measurements)} with estimated costs, every rank at speed 1. */
  public static Layout afterJoin(Layout old, List<RankInfo> joined, int depth, ModelProfile profile, long memoryCap) {
    return afterJoin(old, joined, depth, estimated(profile, memoryCap));
  }

  private static Measurements estimated(ModelProfile profile, long memoryCap) {
    return Measurements.estimated(profile, new long[profile.layerCount()], memoryCap);
  }

  /** The layout of epoch old+1 without the {@code lost} ranks, hit replicas re-partitioned at once. */
  public static Layout afterLoss(Layout old, Set<RankId> lost, Measurements m) {
    return afterLoss(old, lost, m, false);
  }

  /**
   * The layout of epoch old+1 without the {@code lost} ranks; with {@code recoverFirst} a hit
   * replica's survivors keep their layers and the lost ones join a neighbour ({@link
   * RecoverFirst}), balance following by {@link MigrationPlan}.
   */
  public static Layout afterLoss(Layout old, Set<RankId> lost, Measurements m, boolean recoverFirst) {
    List<List<RankId>> replicas = new ArrayList<>();
    List<String> why = new ArrayList<>();
    for (int r = 0; r < old.dp(); r++) {
      List<RankId> before = old.ranksOfReplica(r);
      List<RankId> survivors = new ArrayList<>(before.size()); // a loop, not a stream: 10^4 replicas
      for (RankId x : before) {
        if (!lost.contains(x)) {
          survivors.add(x);
        }
      }
      if (survivors.isEmpty()) {
        why.add("replica " + r + " lost every rank and is dropped");
      } else {
        if (survivors.size() < before.size()) {
          why.add("replica " + r + " re-partitioned over " + survivors);
        }
        replicas.add(survivors);
      }
    }
    if (replicas.isEmpty()) {
      throw new IllegalArgumentException("every replica lost all its ranks: nothing left to train on");
    }
    List<RankInfo> ranks = old.ranks().stream().filter(r -> !lost.contains(r.rank())).toList();
    String reason = "lost " + lost.stream().sorted().toList() + ": " + String.join("; ", why)
        + (recoverFirst && why.stream().anyMatch(w -> w.contains("re-partitioned")) ? " (recover first)" : "");
    return build(old, ranks, replicas, m, false, recoverFirst, reason);
  }

  /** The layout of epoch old+1 with {@code joined} ranks added (restoring replicas to {@code depth} first). */
  public static Layout afterJoin(Layout old, List<RankInfo> joined, int depth, Measurements m) {
    List<List<RankId>> replicas = new ArrayList<>();
    for (int r = 0; r < old.dp(); r++) {
      replicas.add(new ArrayList<>(old.ranksOfReplica(r)));
    }
    List<RankId> incoming = joined.stream().map(RankInfo::rank).sorted().collect(Collectors.toList());
    List<String> why = new ArrayList<>();
    for (List<RankId> replica : replicas) { // restore shortened replicas first
      while (replica.size() < depth && !incoming.isEmpty()) {
        RankId r = incoming.remove(0);
        replica.add(r);
        why.add(r + " deepens replica " + replicas.indexOf(replica));
      }
    }
    while (!incoming.isEmpty() && replicas.size() < old.microBatches()) { // then new replicas
      int take = Math.min(depth, Math.min(incoming.size(), old.layerCount()));
      List<RankId> replica = new ArrayList<>(incoming.subList(0, take));
      incoming.subList(0, take).clear();
      why.add("new replica " + replicas.size() + " of " + replica);
      replicas.add(replica);
    }
    if (!incoming.isEmpty()) {
      throw new IllegalArgumentException("no room for " + incoming + ": every replica needs a micro-batch and G = "
          + old.microBatches());
    }
    List<RankInfo> ranks = new ArrayList<>(old.ranks());
    ranks.addAll(joined);
    String reason = "joined " + joined.stream().map(RankInfo::rank).sorted().toList() + ": " + String.join("; ", why);
    return build(old, ranks, replicas, m, false, false, reason);
  }

  /**
   * The layout of epoch old+1 with the same ranks and replicas, re-planned for the measured
   * speeds: a pipeline whose measured partition is more than {@link #REPARTITION_GAIN} faster
   * moves layers (off a slow stage, or back), and micro-batch ids are re-split by replica speed.
   */
  public static Layout rebalance(Layout old, Measurements m, String reason) {
    List<List<RankId>> replicas = new ArrayList<>();
    for (int r = 0; r < old.dp(); r++) {
      replicas.add(old.ranksOfReplica(r));
    }
    return build(old, old.ranks(), replicas, m, true, false, reason);
  }

  /** The micro-batch split for the reason: every range for a few replicas, a summary for many. */
  private static String describe(List<MicroBatchRange> ids) {
    if (ids.size() <= 16) {
      return ids.toString();
    }
    java.util.IntSummaryStatistics sizes = ids.stream().mapToInt(MicroBatchRange::size).summaryStatistics();
    return String.format(Locale.ROOT, "%d ranges of %d..%d ids", ids.size(), sizes.getMin(), sizes.getMax());
  }

  /** The least relative gain in a replica's bottleneck for which a speed re-plan moves layers. */
  public static final double REPARTITION_GAIN = 0.10;

  /** Stages for each replica (kept or re-partitioned), speeds, micro-batches, owners. */
  private static Layout build(Layout old, List<RankInfo> ranks, List<List<RankId>> replicas, Measurements m,
      boolean forSpeed, boolean recoverFirst, String reason) {
    ModelProfile profile = m.profile();
    List<StageAssignment> stages = new ArrayList<>();
    List<String> moved = new ArrayList<>();
    double[] speeds = new double[replicas.size()];
    for (int r = 0; r < replicas.size(); r++) {
      List<RankId> members = replicas.get(r);
      java.util.Optional<List<StageAssignment>> before = unchangedReplica(old, members);
      java.util.Optional<List<LayerRange>> kept = before.map(ElasticPlanner::ranges);
      int mostIds = old.microBatches() - (replicas.size() - 1); // what any replica can be given
      List<LayerRange> ranges = kept.isPresent() && !forSpeed ? kept.get()
          : kept.isEmpty() && recoverFirst ? RecoverFirst.partition(old, members, m)
              .orElseGet(() -> choose(kept, members, m, mostIds))
          : choose(kept, members, m, mostIds);
      if (kept.isPresent() && !kept.get().equals(ranges)) {
        moved.add("replica " + r + " layers " + ranges.stream().map(LayerRange::toString).toList());
      }
      double bottleneck = 0;
      // an untouched replica that keeps its index keeps its stage records: 10^5 fewer objects a plan at 10^5 ranks
      List<StageAssignment> same = kept.isPresent() && kept.get() == ranges && before.get().get(0).replica() == r
          ? before.get() : null;
      for (int s = 0; s < members.size(); s++) {
        LayerRange lr = ranges.get(s);
        stages.add(same != null ? same.get(s) : new StageAssignment(members.get(s), r, s, lr.from(), lr.to()));
        bottleneck = Math.max(bottleneck, StepModel.stageTime(lr.from(), lr.to(), m.speed(members.get(s)), m));
      }
      speeds[r] = 1.0 / bottleneck;
    }
    List<MicroBatchRange> ids = MicroBatchAssigner.assign(old.microBatches(), speeds);
    ParamBlocks blocks = profile.paramBlocks();
    List<List<RankId>> owners = OwnerRebalance.rebalance(old, stages, blocks);
    String full = String.format(Locale.ROOT, "%s;%s micro-batches %s", reason,
        moved.isEmpty() ? "" : " " + String.join(", ", moved) + ";", describe(ids));
    return new Layout(old.epoch() + 1, old.layerCount(), old.microBatches(), ranks, stages, ids, owners, full);
  }

  /**
   * The minimax partition of the members' measured speeds; for a replica that had a partition
   * ({@code kept}), that one unless the new bottleneck is {@link #REPARTITION_GAIN} lower.
   */
  private static List<LayerRange> choose(java.util.Optional<List<LayerRange>> kept, List<RankId> members,
      Measurements m, int mostIds) {
    ModelProfile profile = m.profile();
    int p = members.size();
    double[] speeds = new double[p];
    int[] inFlight = new int[p];
    for (int s = 0; s < p; s++) {
      speeds[s] = m.speed(members.get(s));
      inFlight[s] = Math.min(p - s, mostIds); // 1F1B: stage s of p keeps at most p − s in flight
    }
    StagePartition fresh = StagePartitioner.partition(profile.layerCosts(), profile.layerMemory(),
        m.activationBytes(), speeds, inFlight, m.memoryCap());
    if (kept.isEmpty()) {
      return fresh.stages();
    }
    double old = 0;
    for (int s = 0; s < p; s++) {
      LayerRange lr = kept.get().get(s);
      old = Math.max(old, StepModel.stageTime(lr.from(), lr.to(), speeds[s], m));
    }
    return fresh.bottleneck() < (1 - REPARTITION_GAIN) * old ? fresh.stages() : kept.get();
  }

  /**
   * The replica's old stages if exactly these ranks made up one replica before, in order: a
   * replica is named by its first stage's rank, which no other replica holds.
   */
  private static java.util.Optional<List<StageAssignment>> unchangedReplica(Layout old, List<RankId> members) {
    if (members.isEmpty() || !old.contains(members.get(0))) {
      return java.util.Optional.empty();
    }
    StageAssignment first = old.stageOf(members.get(0));
    List<StageAssignment> before = old.stagesOfReplica(first.replica());
    if (first.stage() != 0 || before.size() != members.size()) {
      return java.util.Optional.empty();
    }
    for (int s = 0; s < before.size(); s++) { // a loop, not a stream: once per replica, 10^4 times
      if (!before.get(s).rank().equals(members.get(s))) {
        return java.util.Optional.empty();
      }
    }
    return java.util.Optional.of(before);
  }

  private static List<LayerRange> ranges(List<StageAssignment> stages) {
    List<LayerRange> out = new ArrayList<>(stages.size());
    for (StageAssignment s : stages) {
      out.add(new LayerRange(s.layerFrom(), s.layerTo()));
    }
    return List.copyOf(out);
  }
}
