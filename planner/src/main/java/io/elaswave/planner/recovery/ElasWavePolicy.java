package io.elaswave.planner.recovery;

import io.elaswave.planner.Layout;
import io.elaswave.planner.elastic.ElasticPlanner;
import io.elaswave.planner.elastic.MigrationPlan;
import io.elaswave.planner.elastic.SnapshotBuddies;
import io.elaswave.planner.elastic.Transfer;
import io.elaswave.planner.elastic.TransferPlan;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * ElasWave's recovery: a hit replica is re-partitioned over its survivors, micro-batches are
 * re-split by replica speed with the global batch unchanged, only orphaned ZeRO blocks move, and
 * a lost rank's state comes from live replicas and its buddy's snapshot (see ElasticPlanner and
 * TransferPlan); a join restores shortened replicas first, then adds replicas; a change of
 * measured speed moves micro-batches (and, in a pipeline, layers) away from a slow rank and back.
 * With {@link MigrationPlan.Mode#BACKGROUND} a loss first moves the least state (survivors keep
 * their layers) and the balanced partition is reached by a migration while steps run; with
 * {@link MigrationPlan.Mode#BLOCKING} the balanced partition is installed before the next step.
 */
public final class ElasWavePolicy implements RecoveryPolicy {
  private final MigrationPlan.Mode migration;

  public ElasWavePolicy(MigrationPlan.Mode migration) {
    this.migration = migration;
  }

  /** ElasWave's default: recover first, rebalance in the background. */
  public ElasWavePolicy() {
    this(MigrationPlan.Mode.BACKGROUND);
  }

  @Override public String name() {
    return "elaswave";
  }

  @Override public RecoveryPlan plan(Layout committed, MembershipEvent event, Measurements m) {
    Layout next;
    Set<io.elaswave.planner.RankId> lost;
    if (event instanceof MembershipEvent.RanksLost loss) {
      lost = loss.lost();
      next = ElasticPlanner.afterLoss(committed, lost, m, migration == MigrationPlan.Mode.BACKGROUND);
    } else if (event instanceof MembershipEvent.RanksJoined join) {
      lost = Set.of();
      next = ElasticPlanner.afterJoin(committed, join.joined(), join.depth(), m);
    } else {
      MembershipEvent.SpeedsChanged change = (MembershipEvent.SpeedsChanged) event;
      lost = Set.of();
      next = ElasticPlanner.rebalance(committed, m, change.why());
    }
    if (next.epoch() != event.nextEpoch()) { // re-validating a layout of 10^5 ranks is not free
      next = next.withEpoch(event.nextEpoch());
    }
    if (!next.fullBatch() || !next.standby().isEmpty()) {
      throw new IllegalStateException("an ElasWave plan keeps the global batch and every rank working: " + next);
    }
    List<Transfer> transfers = TransferPlan.between(committed, next, lost, SnapshotBuddies.of(committed),
        m.profile().paramBlocks());
    return new RecoveryPlan(next, transfers, next.reason());
  }

  @Override public Optional<MigrationPlan> migrateAfterLoss(Layout installed, Measurements m) {
    return migration == MigrationPlan.Mode.BACKGROUND ? MigrationPlan.toward(installed, m) : Optional.empty();
  }
}
