package io.elaswave.actors.node;

import io.elaswave.actors.lifeline.ConfirmedDeath;
import io.elaswave.actors.lifeline.DeathCheck;
import io.elaswave.actors.lifeline.LifelineHello;
import io.elaswave.actors.scheduler.SchedulerSingleton;
import java.time.Duration;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's watch on the scheduler's node, through the lifeline the scheduler dialled: when it
 * ends, the scheduler's death is confirmed (process gone here, connection refused elsewhere)
 * and the scheduler's successor — the oldest other worker, where the singleton moves next —
 * downs the dead node itself, seconds before the split-brain resolver would. Only a confirmed
 * death is acted on, and by one node, so a scheduler that merely moved or stalls is left alone.
 */
final class SchedulerWatch implements Consumer<LifelineHello> {
  private static final Logger LOG = LoggerFactory.getLogger(SchedulerWatch.class);
  /** How long a closed lifeline's process may take to finish dying. */
  private static final Duration PATIENCE = Duration.ofMillis(500);

  private final ActorSystem<?> system;
  private final String self;

  SchedulerWatch(ActorSystem<?> system, String selfAddress) {
    this.system = system;
    this.self = selfAddress;
  }

  @Override public void accept(LifelineHello scheduler) {
    if (scheduler.address().equals(self)) {
      return; // the scheduler in this JVM stopped: nothing to confirm
    }
    String evidence = DeathCheck.awaitEvidence(scheduler.pid(), scheduler.address(), PATIENCE);
    if (evidence == null) {
      LOG.info("the scheduler's lifeline from {} closed but its node is not proven dead", scheduler.address());
      return;
    }
    Cluster cluster = Cluster.get(system);
    Member dead = ConfirmedDeath.member(system, scheduler.address());
    if (dead == null || dead.status() == MemberStatus.down() || dead.status() == MemberStatus.removed()) {
      return; // downed already
    }
    Member successor = successor(cluster, dead);
    if (successor == null || !successor.equals(cluster.selfMember())) {
      LOG.info("the scheduler's node {} is dead ({}); its successor downs it", scheduler.address(), evidence);
      return;
    }
    LOG.warn("the scheduler's node {} is dead ({}): its successor downs it now", scheduler.address(), evidence);
    ConfirmedDeath.remove(system, dead, evidence);
  }

  /** The oldest live worker other than {@code dead}: where the scheduler singleton goes next. */
  static Member successor(Cluster cluster, Member dead) {
    Member oldest = null;
    for (Member m : cluster.state().getMembers()) {
      boolean live = m.status() == MemberStatus.up() || m.status() == MemberStatus.leaving();
      if (!m.equals(dead) && live && m.hasRole(SchedulerSingleton.WORKER_ROLE)
          && (oldest == null || m.isOlderThan(oldest))) {
        oldest = m;
      }
    }
    return oldest;
  }
}
