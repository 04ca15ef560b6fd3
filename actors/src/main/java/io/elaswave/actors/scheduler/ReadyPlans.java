package io.elaswave.actors.scheduler;

import io.elaswave.planner.Layout;
import io.elaswave.planner.NodeId;
import io.elaswave.planner.RankId;
import io.elaswave.planner.RankInfo;
import io.elaswave.planner.recovery.Measurements;
import io.elaswave.planner.recovery.MembershipEvent;
import io.elaswave.planner.recovery.RecoveryPlan;
import io.elaswave.planner.recovery.RecoveryPolicy;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The plan for losing each node of the layout, made ahead of time off the actor's thread: a
 * death then costs a lookup, not the planner's first (cold) run on the recovery path — tens to
 * a hundred milliseconds measured here. Plans are made when a layout is installed and again once
 * its speeds are measured; one is used only for exactly the ranks it was made for, under the
 * same layout and the same next epoch, else the scheduler plans as before. Policies are pure,
 * so a plan made a few steps earlier differs only in which measurements it saw: placement, not
 * bits.
 */
final class ReadyPlans {
  private record Key(long layoutEpoch, Set<RankId> lost) {}

  /** Commits of a layout after which its plans are made again, from measured speeds. */
  static final int REMAKE_AFTER = 6;

  private final Map<Key, RecoveryPlan> plans = new ConcurrentHashMap<>();
  private long madeFor = -1; // layout epoch
  private int commitsSince;

  /** After a commit, between steps: makes the plans in the background when they are due. */
  void afterCommit(Layout layout, long nextEpoch, RecoveryPolicy policy, Supplier<Measurements> measured) {
    if (layout.epoch() != madeFor) {
      madeFor = layout.epoch();
      commitsSince = 0;
      plans.clear();
    } else if (++commitsSince != REMAKE_AFTER) {
      return;
    }
    Measurements measurements = measured.get(); // on the actor's thread, only when due: it solves the cost model
    Map<NodeId, Set<RankId>> byNode = new HashMap<>();
    for (RankInfo r : layout.allRanks()) {
      byNode.computeIfAbsent(r.node(), n -> new HashSet<>()).add(r.rank());
    }
    CompletableFuture.runAsync(() -> byNode.values().forEach(lost -> {
      try {
        plans.put(new Key(layout.epoch(), Set.copyOf(lost)),
            policy.plan(layout, new MembershipEvent.RanksLost(lost, nextEpoch), measurements));
      } catch (RuntimeException e) {
        // no plan for this loss ahead of time: planned (and refused with its reason) when it happens
      }
    }));
  }

  /** The plan made for losing exactly {@code lost} under {@code layout}, if it leads to {@code nextEpoch}. */
  Optional<RecoveryPlan> take(Layout layout, Set<RankId> lost, long nextEpoch) {
    RecoveryPlan plan = plans.get(new Key(layout.epoch(), Set.copyOf(lost)));
    return plan != null && plan.next().epoch() == nextEpoch ? Optional.of(plan) : Optional.empty();
  }
}
