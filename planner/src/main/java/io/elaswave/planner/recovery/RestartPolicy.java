package io.elaswave.planner.recovery;

import io.elaswave.planner.Layout;
import io.elaswave.planner.PlanRequest;
import io.elaswave.planner.RankInfo;
import io.elaswave.planner.StaticPlanner;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The checkpoint-restart baseline (what a job without elasticity does): any loss stops the job;
 * it starts again on the survivors from the last durable checkpoint with the pipeline depth it
 * had and as many replicas as fit ({@code ⌊ranks / pp⌋}; the rest wait on standby), and redoes the steps
 * since. A join that
 * makes room for another replica restarts the job too; one that does not leaves the new ranks on
 * standby. The global batch is kept, so the redone steps are bitwise the ones lost.
 */
public final class RestartPolicy extends BaselinePolicy {
  @Override public String name() {
    return "restart";
  }

  @Override RecoveryPlan afterLoss(Layout committed, MembershipEvent.RanksLost loss, Measurements m) {
    if (loss.lost().isEmpty()) { // a scheduler took over: nothing is lost, nothing restarts
      return LayoutEdit.live(committed, committed.withEpoch(loss.nextEpoch()), Set.of(), m);
    }
    List<RankInfo> survivors = committed.allRanks().stream().filter(i -> !loss.lost().contains(i.rank())).toList();
    return restart(committed, survivors, committed.stageCount(0), loss.nextEpoch(), "restart: lost "
        + loss.lost().stream().sorted().toList(), m);
  }

  @Override RecoveryPlan afterJoin(Layout committed, MembershipEvent.RanksJoined join, Measurements m) {
    int pp = committed.stageCount(0);
    List<RankInfo> all = new ArrayList<>(committed.allRanks());
    all.addAll(join.joined());
    String joined = "restart: joined " + join.joined().stream().map(RankInfo::rank).sorted().toList();
    if (all.size() / pp > committed.dp()) {
      return restart(committed, all, pp, join.nextEpoch(), joined, m);
    }
    List<RankInfo> standby = new ArrayList<>(committed.standby());
    standby.addAll(join.joined());
    Layout next = new Layout(join.nextEpoch(), committed.layerCount(), committed.microBatches(), committed.ranks(),
        committed.stages(), committed.microBatchRanges(), committed.blockOwners(),
        joined + ": too few for another replica of " + pp + " stages, they wait", standby);
    return new RecoveryPlan(next, List.of(), next.reason());
  }

  /** The static plan of ⌊ranks / pp⌋ replicas over the lowest rank ids, reached by a restart. */
  private static RecoveryPlan restart(Layout committed, List<RankInfo> ranks, int pp, long epoch, String why,
      Measurements m) {
    int dp = ranks.size() / pp;
    if (dp < 1) {
      throw new IllegalArgumentException(why + ": " + ranks.size() + " ranks are too few for " + pp + " stages");
    }
    List<RankInfo> used = ranks.stream().sorted(java.util.Comparator.comparing(RankInfo::rank)).limit((long) dp * pp)
        .toList();
    Layout fresh = StaticPlanner.plan(new PlanRequest(used, dp, pp, committed.microBatches(), m.profile(),
        m.memoryCap()), m.activationBytes());
    String reason = why + "; the job restarts as dp" + dp + "xpp" + pp + " from the last checkpoint";
    // ranks too few for another replica wait on standby: a later join may make one up with them
    List<RankInfo> spare = ranks.stream().sorted(java.util.Comparator.comparing(RankInfo::rank)).skip((long) dp * pp)
        .toList();
    Layout next = new Layout(epoch, fresh.layerCount(), fresh.microBatches(), fresh.ranks(), fresh.stages(),
        fresh.microBatchRanges(), fresh.blockOwners(), reason, spare);
    return new RecoveryPlan(next, List.of(), reason, RecoveryPlan.Resume.FROM_CHECKPOINT);
  }

}
