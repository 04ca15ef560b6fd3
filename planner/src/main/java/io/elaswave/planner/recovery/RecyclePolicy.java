package io.elaswave.planner.recovery;

import io.elaswave.planner.Layout;
import io.elaswave.planner.NodeId;
import io.elaswave.planner.RankId;
import io.elaswave.planner.RankInfo;
import io.elaswave.planner.StageAssignment;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * ReCycle's functional redundancy: no re-partition and no spare. A lost rank's stage keeps its
 * layers and its micro-batch ids; its work moves to the node of a peer that holds the same layers
 * in another replica, where a standby rank (one per node, {@link #standbyPerNode()}) takes the
 * stage. Both roles then share that node's compute budget, so the peer's node does the extra work
 * in its pipeline bubbles where there are bubbles and adds time where there are not; the batch,
 * the ids and the reduction are unchanged, so the run stays bitwise. What is not modelled:
 * ReCycle's decoupled backward (input gradients first, weight gradients deferred into bubbles)
 * and its staggered optimizer; here the stand-in runs the ordinary 1F1B schedule of its replica
 * beside its peer, each holding its own copy of the layers. A join gives a stand-in's stage to
 * the new node and the stand-in goes back to standby; the new node keeps its own standby rank.
 */
public final class RecyclePolicy extends BaselinePolicy {
  @Override public String name() {
    return "recycle";
  }

  @Override public int standbyPerNode() {
    return 1;
  }

  @Override RecoveryPlan afterLoss(Layout committed, MembershipEvent.RanksLost loss, Measurements m) {
    Set<RankId> lost = loss.lost();
    List<RankInfo> standby = new ArrayList<>(committed.standby().stream().filter(i -> !lost.contains(i.rank()))
        .toList());
    List<StageAssignment> stages = new ArrayList<>();
    Map<RankId, RankId> heir = new HashMap<>();
    List<String> moves = new ArrayList<>();
    Map<NodeId, Integer> workingOn = new HashMap<>(); // working ranks per node, stand-ins included
    for (StageAssignment s : committed.stages()) {
      if (!lost.contains(s.rank())) {
        stages.add(s);
        workingOn.merge(committed.nodeOf(s.rank()), 1, Integer::sum);
      }
    }
    for (StageAssignment gone : committed.stages()) {
      if (!lost.contains(gone.rank())) {
        continue;
      }
      StageAssignment peer = peerFor(committed, gone, lost, standby, workingOn).orElseThrow(() ->
          new IllegalArgumentException("recycle: no live peer of " + gone.rank() + " holds layers ["
              + gone.layerFrom() + "," + gone.layerTo() + ") on a node with a standby rank"));
      NodeId node = committed.nodeOf(peer.rank());
      RankInfo standIn = standby.stream().filter(i -> i.node().equals(node)).findFirst().orElseThrow();
      standby.remove(standIn);
      stages.add(new StageAssignment(standIn.rank(), gone.replica(), gone.stage(), gone.layerFrom(), gone.layerTo()));
      workingOn.merge(node, 1, Integer::sum);
      heir.put(gone.rank(), standIn.rank());
      moves.add(gone.rank() + "'s stage (replica " + gone.replica() + " stage " + gone.stage() + ", layers ["
          + gone.layerFrom() + "," + gone.layerTo() + ")) runs as " + standIn.rank() + " on " + node + " beside "
          + peer.rank() + " of replica " + peer.replica());
    }
    String reason = "recycle: " + (moves.isEmpty() ? (lost.isEmpty() ? "every rank moves to a fresh epoch"
        : "standby ranks " + lost.stream().sorted().toList() + " lost") : String.join("; ", moves))
        + "; batch and ids unchanged";
    List<RankInfo> known = new ArrayList<>(committed.allRanks());
    return LayoutEdit.live(committed, build(committed, loss.nextEpoch(), stages, heir, standby, known, reason), lost,
        m);
  }

  /**
   * The live stage holding exactly {@code gone}'s layers in another replica whose node has a
   * standby rank free, preferring a node with the fewest working ranks, then the lowest rank id.
   */
  private static Optional<StageAssignment> peerFor(Layout committed, StageAssignment gone, Set<RankId> lost,
      List<RankInfo> standby, Map<NodeId, Integer> workingOn) {
    Set<NodeId> free = new LinkedHashSet<>();
    standby.forEach(i -> free.add(i.node()));
    return committed.stages().stream()
        .filter(s -> s.replica() != gone.replica() && !lost.contains(s.rank()))
        .filter(s -> s.layerFrom() == gone.layerFrom() && s.layerTo() == gone.layerTo())
        .filter(s -> free.contains(committed.nodeOf(s.rank())))
        .min(Comparator.<StageAssignment>comparingInt(s -> workingOn.getOrDefault(committed.nodeOf(s.rank()), 0))
            .thenComparing(StageAssignment::rank));
  }

  @Override RecoveryPlan afterJoin(Layout committed, MembershipEvent.RanksJoined join, Measurements m) {
    // a joined node keeps its own stand-by rank(s) free, as every node does: only the others relieve stand-ins,
    // or two failures' stand-ins would put more working ranks on the new node than it has accelerators
    List<RankInfo> pool = new ArrayList<>();
    List<RankInfo> standby = new ArrayList<>(committed.standby());
    Map<NodeId, List<RankInfo>> byNode = new java.util.TreeMap<>();
    join.joined().forEach(i -> byNode.computeIfAbsent(i.node(), n -> new ArrayList<>()).add(i));
    byNode.values().forEach(ranks -> {
      ranks.sort(Comparator.comparing(RankInfo::rank));
      int working = Math.max(0, ranks.size() - standbyPerNode());
      pool.addAll(ranks.subList(0, working));
      standby.addAll(ranks.subList(working, ranks.size()));
    });
    List<StageAssignment> stages = new ArrayList<>();
    Map<RankId, RankId> heir = new HashMap<>();
    List<String> moves = new ArrayList<>();
    Set<RankId> standIns = standIns(committed);
    for (StageAssignment s : committed.stages()) {
      if (standIns.contains(s.rank()) && !pool.isEmpty()) {
        RankInfo joiner = pool.remove(0);
        stages.add(new StageAssignment(joiner.rank(), s.replica(), s.stage(), s.layerFrom(), s.layerTo()));
        heir.put(s.rank(), joiner.rank());
        standby.add(new RankInfo(s.rank(), committed.nodeOf(s.rank())));
        moves.add(joiner.rank() + " takes replica " + s.replica() + " stage " + s.stage() + " from stand-in "
            + s.rank());
      } else {
        stages.add(s);
      }
    }
    standby.addAll(pool);
    String reason = "recycle: joined " + join.joined().stream().map(RankInfo::rank).sorted().toList() + ": "
        + (moves.isEmpty() ? "no stand-in to relieve, they wait" : String.join("; ", moves));
    List<RankInfo> known = new ArrayList<>(committed.allRanks());
    known.addAll(join.joined());
    return LayoutEdit.live(committed, build(committed, join.nextEpoch(), stages, heir, standby, known, reason),
        Set.of(), m);
  }

  /** Working ranks that share their node with a working rank of the same layers: ReCycle's stand-ins. */
  static Set<RankId> standIns(Layout layout) {
    record Place(NodeId node, int from, int to) {}
    Map<Place, RankId> first = new HashMap<>(); // the lowest id on each node for each set of layers
    for (StageAssignment a : layout.stages()) {
      first.merge(new Place(layout.nodeOf(a.rank()), a.layerFrom(), a.layerTo()), a.rank(),
          (x, y) -> x.compareTo(y) <= 0 ? x : y);
    }
    Set<RankId> out = new LinkedHashSet<>();
    for (StageAssignment a : layout.stages()) { // the higher ids: standby ranks spawned after the node's working ones
      if (!first.get(new Place(layout.nodeOf(a.rank()), a.layerFrom(), a.layerTo())).equals(a.rank())) {
        out.add(a.rank());
      }
    }
    return out;
  }

  /** Same ids; each heir owns exactly the blocks of the rank whose stage it took. */
  private static Layout build(Layout committed, long epoch, List<StageAssignment> stages, Map<RankId, RankId> heir,
      List<RankInfo> standby, List<RankInfo> known, String reason) {
    Set<RankId> staged = new LinkedHashSet<>();
    stages.forEach(s -> staged.add(s.rank()));
    List<List<RankId>> owners = committed.blockOwners().stream()
        .map(layer -> layer.stream().map(o -> heir.getOrDefault(o, o)).toList()).toList();
    return new Layout(epoch, committed.layerCount(), committed.microBatches(),
        known.stream().filter(i -> staged.contains(i.rank())).toList(), stages, committed.microBatchRanges(), owners,
        reason, standby);
  }
}
