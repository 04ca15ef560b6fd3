package io.elaswave.planner.recovery;

import io.elaswave.planner.Layout;
import io.elaswave.planner.MicroBatchRange;
import io.elaswave.planner.RankId;
import io.elaswave.planner.RankInfo;
import io.elaswave.planner.StageAssignment;
import io.elaswave.planner.elastic.OwnerRebalance;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * TorchFT's fault-tolerant HSDP as its documentation describes it: the failure domain is a whole
 * replica group. When any rank of a replica is lost the replica stops participating and its
 * surviving ranks wait on standby; the other replicas carry on with their own micro-batch ids
 * only, so the step's batch shrinks and the gradient is normalised by the tokens that took part
 * ({@code WorldSizeMode.DYNAMIC}: the runtime scales the loss by the layout's batch). A join
 * heals a stopped replica, from the standby survivors and the new ranks, at a step boundary,
 * its parameters taken from a live peer; it gets back the ids it had. No re-partition, no
 * re-plan for speed.
 */
public final class TorchFtPolicy extends BaselinePolicy {
  @Override public String name() {
    return "torchft";
  }

  @Override RecoveryPlan afterLoss(Layout committed, MembershipEvent.RanksLost loss, Measurements m) {
    Set<RankId> lost = loss.lost();
    List<Integer> hit = LayoutEdit.hitReplicas(committed, lost);
    if (hit.size() == committed.dp()) {
      throw new IllegalArgumentException("torchft: every replica lost a rank (" + lost + "), none can go on");
    }
    List<StageAssignment> stages = new ArrayList<>();
    List<MicroBatchRange> ids = new ArrayList<>();
    Set<RankId> waiting = new LinkedHashSet<>();
    committed.standby().forEach(i -> waiting.add(i.rank()));
    for (int r = 0; r < committed.dp(); r++) {
      if (hit.contains(r)) {
        waiting.addAll(committed.ranksOfReplica(r));
      } else {
        stages.addAll(LayoutEdit.renumbered(committed, r, ids.size()));
        ids.add(committed.microBatchesOf(r));
      }
    }
    waiting.removeAll(lost);
    String reason = hit.isEmpty() ? "torchft: " + (lost.isEmpty() ? "every rank moves to a fresh epoch"
        : "standby ranks " + lost + " lost") : "torchft: replica " + hit + " lost " + sorted(lost)
        + " and stops, its survivors " + sorted(waiting) + " wait";
    return LayoutEdit.live(committed, build(committed, loss.nextEpoch(), stages, ids,
        LayoutEdit.infos(committed, waiting), committed.allRanks(), reason, m), lost, m);
  }

  @Override RecoveryPlan afterJoin(Layout committed, MembershipEvent.RanksJoined join, Measurements m) {
    List<RankInfo> pool = new ArrayList<>(committed.standby()); // the stopped replica's survivors first
    pool.addAll(join.joined());
    List<StageAssignment> stages = new ArrayList<>();
    List<MicroBatchRange> ids = new ArrayList<>();
    for (int r = 0; r < committed.dp(); r++) {
      stages.addAll(LayoutEdit.renumbered(committed, r, r));
      ids.add(committed.microBatchesOf(r));
    }
    List<StageAssignment> template = committed.stagesOfReplica(0);
    List<String> healed = new ArrayList<>();
    // a replica's worth of ids at a time: adjacent stopped replicas leave one run of ids, which one healed
    // replica must not take whole
    int share = committed.microBatchesOf(0).size();
    for (MicroBatchRange gap : chunks(gaps(committed), share)) {
      if (pool.size() < template.size()) {
        break;
      }
      int replica = ids.size();
      List<RankId> members = new ArrayList<>();
      for (StageAssignment t : template) {
        RankInfo rank = pool.remove(0);
        stages.add(new StageAssignment(rank.rank(), replica, t.stage(), t.layerFrom(), t.layerTo()));
        members.add(rank.rank());
      }
      ids.add(gap);
      healed.add("replica of " + members + " ids " + gap);
    }
    String reason = "torchft: joined " + join.joined().stream().map(RankInfo::rank).sorted().toList() + ": "
        + (healed.isEmpty() ? "no stopped replica can be healed yet, they wait"
            : "healed " + String.join(", ", healed) + " from a live peer");
    List<RankInfo> known = new ArrayList<>(committed.allRanks());
    known.addAll(join.joined());
    return LayoutEdit.live(committed, build(committed, join.nextEpoch(), stages, ids, pool, known, reason, m),
        Set.of(), m);
  }

  /** {@code runs} cut into ranges of at most {@code size} ids, in order. */
  static List<MicroBatchRange> chunks(List<MicroBatchRange> runs, int size) {
    List<MicroBatchRange> out = new ArrayList<>();
    for (MicroBatchRange run : runs) {
      for (int from = run.from(); from < run.to(); from += size) {
        out.add(new MicroBatchRange(from, Math.min(run.to(), from + size)));
      }
    }
    return out;
  }

  /** The id ranges no replica runs: the ids of stopped replicas, as maximal runs. */
  static List<MicroBatchRange> gaps(Layout layout) {
    List<MicroBatchRange> out = new ArrayList<>();
    List<MicroBatchRange> ranges = layout.microBatchRanges().stream()
        .sorted(Comparator.comparingInt(MicroBatchRange::from)).toList();
    int next = 0;
    for (MicroBatchRange r : ranges) {
      if (r.from() > next) {
        out.add(new MicroBatchRange(next, r.from()));
      }
      next = r.to();
    }
    if (next < layout.microBatches()) {
      out.add(new MicroBatchRange(next, layout.microBatches()));
    }
    return out;
  }

  /** The layout of these stages and ids, {@code standby} waiting; {@code known} names every rank's node. */
  private static Layout build(Layout committed, long epoch, List<StageAssignment> stages,
      List<MicroBatchRange> ids, List<RankInfo> standby, List<RankInfo> known, String reason, Measurements m) {
    Set<RankId> staged = new LinkedHashSet<>();
    stages.forEach(s -> staged.add(s.rank()));
    List<RankInfo> ranks = known.stream().filter(i -> staged.contains(i.rank())).toList();
    int batch = ids.stream().mapToInt(MicroBatchRange::size).sum();
    String full = reason + "; batch " + batch + " of " + committed.microBatches() + " micro-batches " + ids;
    return new Layout(epoch, committed.layerCount(), committed.microBatches(), ranks, stages, ids,
        OwnerRebalance.rebalance(committed, stages, m.profile().paramBlocks()), full, standby);
  }

  private static List<RankId> sorted(Set<RankId> ranks) {
    return ranks.stream().sorted().toList();
  }
}
