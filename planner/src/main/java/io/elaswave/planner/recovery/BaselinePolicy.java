package io.elaswave.planner.recovery;

import io.elaswave.planner.Layout;

/**
 * What the baseline policies share: a plan for a loss and one for a join, and none for a change
 * of speed alone (none of the systems they model re-plans for a slow node).
 */
abstract class BaselinePolicy implements RecoveryPolicy {
  @Override public final boolean replansForSpeed() {
    return false;
  }

  @Override public final RecoveryPlan plan(Layout committed, MembershipEvent event, Measurements m) {
    if (event instanceof MembershipEvent.RanksLost loss) {
      return afterLoss(committed, loss, m);
    }
    if (event instanceof MembershipEvent.RanksJoined join) {
      return afterJoin(committed, join, m);
    }
    throw new IllegalArgumentException(name() + " does not re-plan for speed");
  }

  abstract RecoveryPlan afterLoss(Layout committed, MembershipEvent.RanksLost loss, Measurements m);

  abstract RecoveryPlan afterJoin(Layout committed, MembershipEvent.RanksJoined join, Measurements m);
}
