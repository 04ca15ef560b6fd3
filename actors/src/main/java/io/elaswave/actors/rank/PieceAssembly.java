package io.elaswave.actors.rank;

import io.elaswave.planner.RankId;
import io.elaswave.protocol.FloatTensor;
import io.elaswave.protocol.chunk.ChunkAssembler;
import io.elaswave.protocol.chunk.ChunkRejectedException;
import io.elaswave.protocol.runtime.RankMessage;
import io.elaswave.protocol.runtime.RankMessage.ActivationPiece;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Puts activations sent in pieces ({@link PieceSender}) back together. A transfer is one sender's
 * operation; its first piece fixes the step, micro-batch and direction, and every piece must
 * agree with them, and with the one length an activation of this job has, before a float is
 * allocated. A piece that does not fit is refused with the reason and its transfer dropped; at
 * most {@code maxOpen} transfers are open at once, so no sender can make this rank hold more than
 * that many activations.
 *
 * <p>Not thread-safe: lives inside the rank's actor.
 */
final class PieceAssembly {
  /** What a piece came to: still incomplete, a whole activation, or refused. */
  sealed interface Outcome {
    record Partial() implements Outcome {}

    record Complete(RankMessage.DataMessage message) implements Outcome {}

    record Refused(String reason) implements Outcome {}
  }

  private record Key(RankId from, long opId) {}

  private record Open(ActivationPiece first, ChunkAssembler assembler) {}

  private final int activationFloats;
  private final int maxOpen;
  private final Map<Key, Open> open = new HashMap<>();
  private long refused;

  /**
   * @param activationFloats the length of every activation of this job (micro-batch x sequence x width)
   * @param maxOpen the most transfers assembled at once
   */
  PieceAssembly(int activationFloats, int maxOpen) {
    this.activationFloats = activationFloats;
    this.maxOpen = maxOpen;
  }

  Outcome accept(ActivationPiece p) {
    Key key = new Key(p.from(), p.chunk().opId());
    Open o = open.get(key);
    if (o == null) {
      if (p.chunk().totalLength() != activationFloats) {
        return refuse(p, "an activation of this job has " + activationFloats + " floats, not "
            + p.chunk().totalLength());
      }
      if (open.size() >= maxOpen) {
        return refuse(p, maxOpen + " transfers are already open");
      }
      o = new Open(p, new ChunkAssembler(p.chunk().opId(), p.chunk().epoch()));
    } else if (p.step() != o.first().step() || p.microBatch() != o.first().microBatch()
        || p.gradient() != o.first().gradient() || p.epoch() != o.first().epoch()) {
      open.remove(key);
      return refuse(p, "its transfer began as " + describe(o.first()));
    }
    try {
      boolean done = o.assembler().accept(p.chunk());
      if (!done) {
        open.put(key, o);
        return new Outcome.Partial();
      }
      open.remove(key);
      return new Outcome.Complete(whole(o.first(), o.assembler().result()));
    } catch (ChunkRejectedException e) {
      open.remove(key);
      return refuse(p, e.getMessage());
    }
  }

  /** Drops transfers of layouts before {@code epoch} or of steps up to {@code doneStep}: they can never be used. */
  void forget(long epoch, long doneStep) {
    open.values().removeIf(o -> o.first().epoch() < epoch || o.first().step() <= doneStep);
  }

  int openTransfers() {
    return open.size();
  }

  /** Pieces refused since the rank started. */
  long refused() {
    return refused;
  }

  private Outcome refuse(ActivationPiece p, String why) {
    refused++;
    return new Outcome.Refused("piece " + p.chunk().index() + "/" + p.chunk().count() + " of " + describe(p)
        + " from " + p.from() + ": " + why);
  }

  private static RankMessage.DataMessage whole(ActivationPiece p, float[] values) {
    FloatTensor data = new FloatTensor(values);
    return p.gradient() ? new RankMessage.ActivationGrad(p.epoch(), p.step(), p.microBatch(), data)
        : new RankMessage.Activation(p.epoch(), p.step(), p.microBatch(), data);
  }

  private static String describe(ActivationPiece p) {
    return (p.gradient() ? "activation gradient" : "activation") + " of micro-batch " + p.microBatch() + ", step "
        + p.step() + ", epoch " + p.epoch();
  }
}
