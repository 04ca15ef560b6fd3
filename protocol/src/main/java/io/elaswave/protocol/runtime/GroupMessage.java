package io.elaswave.protocol.runtime;

import io.elaswave.planner.RankId;
import io.elaswave.protocol.KryoMessage;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * A communicator group: the ranks that hold one layer, one per replica. Its member table is
 * versioned by epoch and edited in place; collectives route tensors straight from the local
 * rank to each peer's inbox.
 */
public sealed interface GroupMessage extends KryoMessage {

  /** Add a member (a replica gained a holder of this layer). */
  record AddMember(long epoch, RankRefs member) implements GroupMessage {}

  /** Remove a member (its rank is gone or no longer holds this layer). */
  record RemoveMember(long epoch, RankId rank) implements GroupMessage {}

  /** Swap one member for another, keeping its position. */
  record ReplaceMember(long epoch, RankId old, RankRefs replacement) implements GroupMessage {}

  /** Set the owner of each block of this layer. */
  record SetOwners(long epoch, List<RankId> owners) implements GroupMessage {}

  /** Ask for the current table. */
  record GetView(ActorRef<GroupView> replyTo) implements GroupMessage {}

  /** Send each block's partial sums to its owner. */
  record ReduceScatter(long epoch, long step, List<BlockPartial> partials) implements GroupMessage {}

  /** Send owned blocks' new values to every other member, then tell {@code sentTo} it is done. */
  record AllGather(long epoch, long step, List<BlockValues> blocks, ActorRef<RankMessage> sentTo)
      implements GroupMessage {}

  /** The member table of layer {@code layer} at {@code epoch}. */
  record GroupView(long epoch, int layer, List<RankRefs> members, List<RankId> owners) implements KryoMessage {}
}
