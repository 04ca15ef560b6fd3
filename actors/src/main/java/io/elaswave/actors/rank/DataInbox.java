package io.elaswave.actors.rank;

import io.elaswave.protocol.runtime.RankMessage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * A rank's tensor inbox. Its path matches {@code large-message-destinations}, so bulk data from
 * peers rides Artery's large-message channel and never queues in front of control messages;
 * it hands each message to its rank on the same JVM.
 */
public final class DataInbox {
  private DataInbox() {}

  public static Behavior<RankMessage.DataMessage> create(ActorRef<RankMessage> rank) {
    return Behaviors.receiveMessage(message -> {
      rank.tell(message);
      return Behaviors.same();
    });
  }
}
