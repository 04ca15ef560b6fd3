package io.elaswave.persistence;

import io.elaswave.protocol.KryoMessage;

/**
 * The ledger's answer to a command that changes it: {@link Accepted} once the event is stored
 * (or when the command repeats what is already recorded), {@link Rejected} with the reason when
 * nothing was stored.
 */
public sealed interface Ack extends KryoMessage permits Ack.Accepted, Ack.Rejected {

  /** Recorded, now or by an earlier identical command. */
  record Accepted() implements Ack {}

  /** Not recorded; {@code reason} says why in words an operator can act on. */
  record Rejected(String reason) implements Ack {}

  static Ack accepted() {
    return new Accepted();
  }

  static Ack rejected(String reason) {
    return new Rejected(reason);
  }

  default boolean isAccepted() {
    return this instanceof Accepted;
  }
}
