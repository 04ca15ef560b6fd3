package io.elaswave.app.observe;

import io.elaswave.actors.node.NodeHealth;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * Pekko Management readiness check of a node: ready while it is an Up member and hosts ranks of
 * the running job. A node that joined but holds no ranks yet (a spare, or a joiner before the
 * next step boundary) is not ready, nor is one leaving the cluster after its ranks stopped.
 * Management instantiates it with the node's actor system.
 */
public final class RanksReadyCheck implements Supplier<CompletionStage<Boolean>> {
  private final org.apache.pekko.actor.typed.ActorSystem<?> system;

  public RanksReadyCheck(ActorSystem system) {
    this.system = Adapter.toTyped(system);
  }

  @Override public CompletionStage<Boolean> get() {
    return CompletableFuture.completedFuture(ready());
  }

  boolean ready() {
    MemberStatus status = Cluster.get(system).selfMember().status();
    boolean up = status.equals(MemberStatus.up()) || status.equals(MemberStatus.weaklyUp());
    return up && !NodeHealth.get(system).hostedRanks().isEmpty();
  }
}
