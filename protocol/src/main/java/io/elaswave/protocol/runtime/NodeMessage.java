package io.elaswave.protocol.runtime;

import io.elaswave.planner.RankId;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;

/** The node guardian's protocol: one guardian per JVM hosts that node's ranks. */
public sealed interface NodeMessage extends io.elaswave.protocol.KryoMessage {

  /** Start ranks for a job on this node and answer with their references. */
  record SpawnRanks(JobSpec job, List<RankId> ranks, ActorRef<SchedulerMessage> replyTo) implements NodeMessage {}

  /** Stop every rank of the current job (the job ended or was replaced). */
  record StopRanks() implements NodeMessage {}

  /** Stop one rank the scheduler has written off (it failed or hangs); the node keeps the others. */
  record StopRank(RankId rank) implements NodeMessage {}

  /**
   * Set this node's clock to {@code clock} (a fraction of its nominal speed) through its
   * governor, for layout {@code epoch}; the guardian answers {@link SchedulerMessage.ClockSet}.
   */
  record SetClock(long epoch, double clock, ActorRef<SchedulerMessage> replyTo) implements NodeMessage {}

  /** The guardian's own timer: send the scheduler a heartbeat. */
  record Beat() implements NodeMessage {}
}
