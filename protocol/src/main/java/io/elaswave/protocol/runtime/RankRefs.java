package io.elaswave.protocol.runtime;

import io.elaswave.planner.RankId;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * How to reach a rank: control messages go to {@code control}; tensors go to {@code inbox}, a
 * child on Artery's large-message channel so bulk data never queues in front of control.
 */
public record RankRefs(RankId rank, ActorRef<RankMessage> control, ActorRef<RankMessage.DataMessage> inbox) {}
