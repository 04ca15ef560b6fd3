package io.elaswave.actors.scheduler;

import io.elaswave.protocol.runtime.SchedulerMessage;
import io.elaswave.protocol.runtime.SchedulerMessage.MemberChange;
import io.elaswave.protocol.runtime.SchedulerMessage.MemberChanged;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Down;
import org.apache.pekko.cluster.typed.Subscribe;

/**
 * The scheduler's window on Pekko's membership: downed, removed, unreachable and reachable
 * members arrive as {@link MemberChanged}; {@link #inMajority()} says whether this side of a
 * partition may act (a scheduler cut off with a minority must never down the majority or
 * re-plan around it: the split-brain resolver downs the minority instead).
 */
final class Membership {
  private final ActorContext<SchedulerMessage> context;

  Membership(ActorContext<SchedulerMessage> context) {
    this.context = context;
    subscribe(ClusterEvent.MemberDowned.class, ClusterEvent.MemberDowned::member, MemberChange.DOWNED);
    subscribe(ClusterEvent.MemberRemoved.class, ClusterEvent.MemberRemoved::member, MemberChange.REMOVED);
    subscribe(ClusterEvent.UnreachableMember.class, ClusterEvent.UnreachableMember::member,
        MemberChange.UNREACHABLE);
    subscribe(ClusterEvent.ReachableMember.class, ClusterEvent.ReachableMember::member, MemberChange.REACHABLE);
  }

  private <E extends ClusterEvent.ClusterDomainEvent> void subscribe(Class<E> event, java.util.function.Function<E, Member> member, MemberChange change) {
    Cluster.get(context.getSystem()).subscriptions().tell(Subscribe.create(
        context.messageAdapter(event, e -> new MemberChanged(address(member.apply(e)), change)), event));
  }

  private static String address(Member m) {
    return m.address().host().get() + ":" + m.address().port().get();
  }

  /** More than half of the worker members are reachable from here (this node counts). */
  boolean inMajority() {
    var state = Cluster.get(context.getSystem()).state();
    int workers = 0;
    int unreachable = 0;
    for (Member m : state.getMembers()) {
      if (m.hasRole(SchedulerSingleton.WORKER_ROLE) && m.status() != MemberStatus.down()
          && m.status() != MemberStatus.exiting()) {
        workers++;
        if (state.getUnreachable().contains(m)) {
          unreachable++;
        }
      }
    }
    return 2 * (workers - unreachable) > workers;
  }

  /** The host:port of every worker member that is up and reachable from here. */
  java.util.Set<String> liveWorkers() {
    var state = Cluster.get(context.getSystem()).state();
    java.util.Set<String> out = new java.util.TreeSet<>();
    for (Member m : state.getMembers()) {
      if (m.hasRole(SchedulerSingleton.WORKER_ROLE) && (m.status() == MemberStatus.up()
          || m.status() == MemberStatus.weaklyUp()) && !state.getUnreachable().contains(m)) {
        out.add(address(m));
      }
    }
    return out;
  }

  /**
   * {@code actor} lives in this JVM, or in a system that is a member of the cluster, joining or
   * up (not leaving, downed, removed or never seen).
   */
  boolean onMember(ActorRef<?> actor) {
    Address a = actor.path().address();
    if (a.host().isEmpty()) {
      return true;
    }
    for (Member m : Cluster.get(context.getSystem()).state().getMembers()) {
      if (m.address().equals(a)) {
        return m.status() == MemberStatus.up() || m.status() == MemberStatus.weaklyUp()
            || m.status() == MemberStatus.joining();
      }
    }
    return false;
  }

  /** This node's host:port. */
  String selfAddress() {
    return address(Cluster.get(context.getSystem()).selfMember());
  }

  /** The member at host:port is this node. */
  boolean isSelf(String hostPort) {
    return address(Cluster.get(context.getSystem()).selfMember()).equals(hostPort);
  }

  /** Takes the member at host:port, whose death is proven, out of the cluster, off the actor's thread. */
  void removeDeadLater(String hostPort, String evidence) {
    var system = context.getSystem();
    java.util.concurrent.CompletableFuture.runAsync(() -> {
      var member = io.elaswave.actors.lifeline.ConfirmedDeath.member(system, hostPort);
      if (member != null) {
        io.elaswave.actors.lifeline.ConfirmedDeath.remove(system, member, evidence);
      }
    });
  }

  /** Asks the cluster to down the member at host:port. */
  void down(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    Address a = new Address("pekko", context.getSystem().name(), hostPort.substring(0, colon),
        Integer.parseInt(hostPort.substring(colon + 1)));
    Cluster.get(context.getSystem()).manager().tell(new Down(a));
  }
}
