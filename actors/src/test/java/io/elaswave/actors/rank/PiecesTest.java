package io.elaswave.actors.rank;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.elaswave.planner.RankId;
import io.elaswave.protocol.FloatTensor;
import io.elaswave.protocol.chunk.TensorChunk;
import io.elaswave.protocol.runtime.RankMessage;
import io.elaswave.protocol.runtime.RankMessage.Activation;
import io.elaswave.protocol.runtime.RankMessage.ActivationGrad;
import io.elaswave.protocol.runtime.RankMessage.ActivationPiece;
import io.elaswave.protocol.runtime.RankMessage.DataMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Large activations in pieces: the sender's credit window, and an assembler that trusts nothing. */
class PiecesTest {
  private static final ActorTestKit KIT = ActorTestKit.create();
  private static final RankId FROM = RankId.of(3);

  @AfterAll
  static void stop() {
    KIT.shutdownTestKit();
  }

  private static float[] floats(int n, long seed) {
    Random r = new Random(seed);
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = r.nextFloat() - 0.5f;
    }
    return x;
  }

  @Test
  void anActivationThatFitsGoesWhole() {
    TestProbe<DataMessage> to = KIT.createTestProbe();
    var sender = new PieceSender(FROM, 100, 2);
    var a = new Activation(1, 5, 0, new FloatTensor(floats(100, 1)));
    sender.send(to.getRef(), a);
    assertEquals(a, to.receiveMessage());
    assertEquals(0, sender.openTransfers());
  }

  @Test
  void aLargeActivationGoesInPiecesAWindowAtATimeAndComesBackBitwise() {
    TestProbe<DataMessage> to = KIT.createTestProbe();
    var sender = new PieceSender(FROM, 100, 2);
    float[] x = floats(1050, 2); // 11 pieces
    sender.send(to.getRef(), new ActivationGrad(4, 7, 3, new FloatTensor(x)));
    var assembly = new PieceAssembly(1050, 8);
    List<ActivationPiece> first = List.of((ActivationPiece) to.receiveMessage(), (ActivationPiece) to.receiveMessage());
    to.expectNoMessage(Duration.ofMillis(50)); // the window is full until a credit comes back
    PieceAssembly.Outcome last = null;
    List<ActivationPiece> pending = new ArrayList<>(first);
    int received = 0;
    while (!pending.isEmpty()) {
      ActivationPiece p = pending.remove(0);
      received++;
      last = assembly.accept(p);
      if (last instanceof PieceAssembly.Outcome.Partial) {
        sender.credited(new RankMessage.PieceCredit(p.epoch(), p.chunk().opId()));
        if (sender.openTransfers() > 0 || received + pending.size() < 11) {
          pending.add((ActivationPiece) to.receiveMessage());
        }
      }
    }
    assertEquals(11, received);
    var whole = assertInstanceOf(ActivationGrad.class, assertInstanceOf(PieceAssembly.Outcome.Complete.class, last)
        .message());
    assertEquals(4, whole.epoch());
    assertEquals(7, whole.step());
    assertEquals(3, whole.microBatch());
    assertArrayEquals(x, whole.data().values());
    assertEquals(0, sender.openTransfers());
    assertEquals(0, assembly.openTransfers());
    to.expectNoMessage(Duration.ofMillis(20));
  }

  @Test
  void creditsOfAnotherEpochOrOperationReleaseNothing() {
    TestProbe<DataMessage> to = KIT.createTestProbe();
    var sender = new PieceSender(FROM, 10, 1);
    sender.send(to.getRef(), new Activation(2, 1, 0, new FloatTensor(floats(30, 3))));
    ActivationPiece p = (ActivationPiece) to.receiveMessage();
    sender.credited(new RankMessage.PieceCredit(1, p.chunk().opId()));
    sender.credited(new RankMessage.PieceCredit(2, p.chunk().opId() + 1));
    to.expectNoMessage(Duration.ofMillis(50));
    sender.forgetBefore(3); // a new layout: the transfer is gone
    sender.credited(new RankMessage.PieceCredit(2, p.chunk().opId()));
    to.expectNoMessage(Duration.ofMillis(50));
    assertEquals(0, sender.openTransfers());
  }

  private static ActivationPiece piece(long op, int index, int count, int offset, int total, int n, long step) {
    return new ActivationPiece(1, step, 0, false, FROM, new TensorChunk(op, 1, index, count, offset, total,
        new float[n]));
  }

  @Test
  void theAssemblerRefusesWhatDoesNotFitAndKeepsWorking() {
    var assembly = new PieceAssembly(20, 2);
    // a length no activation of the job has: refused before anything is allocated
    assertInstanceOf(PieceAssembly.Outcome.Refused.class, assembly.accept(piece(1, 0, 2, 0, 1 << 30, 10, 1)));
    // a piece that claims another step than its transfer's first
    assertInstanceOf(PieceAssembly.Outcome.Partial.class, assembly.accept(piece(2, 0, 2, 0, 20, 10, 1)));
    var refused = assertInstanceOf(PieceAssembly.Outcome.Refused.class, assembly.accept(piece(2, 1, 2, 10, 20, 10, 9)));
    assertTrue(refused.reason().contains("began as"), refused.reason());
    // a duplicate, and overlapping ranges
    assertInstanceOf(PieceAssembly.Outcome.Partial.class, assembly.accept(piece(3, 0, 2, 0, 20, 10, 1)));
    assertInstanceOf(PieceAssembly.Outcome.Refused.class, assembly.accept(piece(3, 0, 2, 0, 20, 10, 1)));
    assertInstanceOf(PieceAssembly.Outcome.Partial.class, assembly.accept(piece(4, 0, 2, 0, 20, 12, 1)));
    assertInstanceOf(PieceAssembly.Outcome.Refused.class, assembly.accept(piece(4, 1, 2, 10, 20, 10, 1)));
    // at most two transfers open at once
    assertInstanceOf(PieceAssembly.Outcome.Partial.class, assembly.accept(piece(5, 0, 2, 0, 20, 10, 1)));
    assertInstanceOf(PieceAssembly.Outcome.Partial.class, assembly.accept(piece(6, 0, 2, 0, 20, 10, 1)));
    assertInstanceOf(PieceAssembly.Outcome.Refused.class, assembly.accept(piece(7, 0, 2, 0, 20, 10, 1)));
    assertEquals(5, assembly.refused());
    // the open ones still complete, and stale steps are forgotten
    assertInstanceOf(PieceAssembly.Outcome.Complete.class, assembly.accept(piece(5, 1, 2, 10, 20, 10, 1)));
    assembly.forget(1, 1);
    assertEquals(0, assembly.openTransfers());
  }
}
