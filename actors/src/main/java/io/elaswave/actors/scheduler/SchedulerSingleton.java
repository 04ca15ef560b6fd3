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

  /**
   * The proxy to the scheduler; it buffers messages until the singleton is found. The singleton
   * restarts {@code elaswave.scheduler-removal-margin} after its node is removed, not the
   * resolver's second: a node is downed by elaswave only on proof of death (the lifeline), and
   * a scheduler on a minority side never acts on the job, so the margin guards little more.
   */
  public static ActorRef<SchedulerMessage> init(ActorSystem<?> system) {
    java.time.Duration margin = system.settings().config().getDuration("elaswave.scheduler-removal-margin");
    return ClusterSingleton.get(system).init(SingletonActor.of(Scheduler.create(), "scheduler")
        .withSettings(ClusterSingletonSettings.create(system).withRole(WORKER_ROLE).withRemovalMargin(margin)));
  }
}
