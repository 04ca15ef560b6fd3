package io.elaswave.actors.rank;

import io.elaswave.planner.RankId;
import io.elaswave.protocol.FloatTensor;
import io.elaswave.protocol.chunk.TensorChunker;
import io.elaswave.protocol.runtime.RankMessage;
import io.elaswave.protocol.runtime.RankMessage.Activation;
import io.elaswave.protocol.runtime.RankMessage.ActivationGrad;
import io.elaswave.protocol.runtime.RankMessage.ActivationPiece;
import java.util.HashMap;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * Sends activations and their gradients of any size. One that fits a message goes as it is; a
 * larger one is cut into pieces of at most {@code maxFloats} floats (well inside Artery's
 * large-message frame) of which at most {@code window} are unacknowledged at a time: the receiver
 * credits each piece it takes in, and each credit releases the next. The window bounds what one
 * transfer puts in Artery's outbound queue, which drops rather than blocks when it is full.
 * Transfers of an older layout are forgotten when the rank takes a new one.
 *
 * <p>Not thread-safe: lives inside the rank's actor.
 */
final class PieceSender {
  /** An activation being sent in pieces; {@code next} is the first piece not sent yet. */
  private static final class Transfer {
    final ActorRef<RankMessage.DataMessage> to;
    final long epoch;
    final long step;
    final int microBatch;
    final boolean gradient;
    final TensorChunker chunker;
    int next;

    Transfer(ActorRef<RankMessage.DataMessage> to, long epoch, long step, int microBatch, boolean gradient,
        TensorChunker chunker) {
      this.to = to;
      this.epoch = epoch;
      this.step = step;
      this.microBatch = microBatch;
      this.gradient = gradient;
      this.chunker = chunker;
    }

    boolean hasMore() {
      return next < chunker.chunkCount();
    }
  }

  private final RankId self;
  private final int maxFloats;
  private final int window;
  private final Map<Long, Transfer> open = new HashMap<>();
  private long nextOp;
  private long piecesSent;

  PieceSender(RankId self, int maxFloats, int window) {
    if (maxFloats < 1 || window < 1) {
      throw new IllegalArgumentException("maxFloats and window must be >= 1, got " + maxFloats + ", " + window);
    }
    this.self = self;
    this.maxFloats = maxFloats;
    this.window = window;
  }

  /** Sends an Activation or an ActivationGrad to {@code to}, whole or in pieces. */
  void send(ActorRef<RankMessage.DataMessage> to, RankMessage.DataMessage m) {
    FloatTensor data;
    long epoch;
    long step;
    int microBatch;
    boolean gradient;
    if (m instanceof Activation a) {
      data = a.data();
      epoch = a.epoch();
      step = a.step();
      microBatch = a.microBatch();
      gradient = false;
    } else if (m instanceof ActivationGrad g) {
      data = g.data();
      epoch = g.epoch();
      step = g.step();
      microBatch = g.microBatch();
      gradient = true;
    } else {
      throw new IllegalArgumentException("only activations travel in pieces, not " + m.getClass().getSimpleName());
    }
    if (data.length() <= maxFloats) {
      to.tell(m);
      return;
    }
    long op = nextOp++;
    Transfer t = new Transfer(to, epoch, step, microBatch, gradient,
        new TensorChunker(op, epoch, data.values(), maxFloats));
    open.put(op, t);
    for (int i = 0; i < window && t.hasMore(); i++) {
      sendNext(op, t);
    }
  }

  /** A piece of {@code credit.opId()} arrived: send the next one, if any. Unknown operations are ignored. */
  void credited(RankMessage.PieceCredit credit) {
    Transfer t = open.get(credit.opId());
    if (t != null && t.epoch == credit.epoch() && t.hasMore()) {
      sendNext(credit.opId(), t);
    }
  }

  /** Forgets the transfers of layouts before {@code epoch}: their receivers drop them anyway. */
  void forgetBefore(long epoch) {
    open.values().removeIf(t -> t.epoch < epoch);
  }

  /** Transfers with pieces still to send. */
  int openTransfers() {
    return open.size();
  }

  long piecesSent() {
    return piecesSent;
  }

  private void sendNext(long op, Transfer t) {
    var chunk = t.chunker.chunk(t.next++);
    t.to.tell(new ActivationPiece(t.epoch, t.step, t.microBatch, t.gradient, self, chunk));
    piecesSent++;
    if (!t.hasMore()) {
      open.remove(op); // every piece is out: later credits have nothing to release
    }
  }
}
