package io.elaswave.actors.lifeline;

import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Down;
import org.apache.pekko.remote.RemoteActorRefProvider;

/**
 * Takes a member whose death is proven out of the cluster at once. A Down alone does not
 * remove a member the failure detector still finds reachable — the leader removes only
 * unreachable downed members, so a dead node would linger for the detector's acceptable pause
 * (seconds) and with it the scheduler singleton's restart. Quarantining the dead incarnation
 * marks it terminated in the cluster's reachability (and downs it), and the leader removes it
 * at its next round. Only for a proven death: a quarantined incarnation can never talk to this
 * node again.
 */
public final class ConfirmedDeath {
  private ConfirmedDeath() {}

  /** Quarantines and downs {@code dead}, this node's view of a member whose process is gone. */
  public static void remove(ActorSystem<?> system, Member dead, String evidence) {
    if (Adapter.toClassic(system) instanceof ExtendedActorSystem ext
        && ext.provider() instanceof RemoteActorRefProvider remote) {
      remote.quarantine(dead.address(), scala.Option.apply((Object) dead.uniqueAddress().longUid()),
          "proven dead: " + evidence);
    }
    Cluster.get(system).manager().tell(new Down(dead.address()));
  }

  /** The member at host:port, or null. */
  public static Member member(ActorSystem<?> system, String hostPort) {
    for (Member m : Cluster.get(system).state().getMembers()) {
      if ((m.address().host().get() + ":" + m.address().port().get()).equals(hostPort)) {
        return m;
      }
    }
    return null;
  }
}
