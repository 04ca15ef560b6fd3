package io.elaswave.actors.scheduler;

import io.elaswave.protocol.runtime.SchedulerMessage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.ClusterSingletonSettings;
import org.apache.pekko.cluster.typed.SingletonActor;

/** Starts (on worker nodes) or reaches (anywhere) the one scheduler of the cluster. */
public final class SchedulerSingleton {
  public static final String WORKER_ROLE = "worker";

  private SchedulerSingleton() {}

  /** The proxy to the scheduler; it buffers messages until the singleton is found. */
  public static ActorRef<SchedulerMessage> init(ActorSystem<?> system) {
    return ClusterSingleton.get(system).init(SingletonActor.of(Scheduler.create(), "scheduler")
        .withSettings(ClusterSingletonSettings.create(system).withRole(WORKER_ROLE)));
  }
}
