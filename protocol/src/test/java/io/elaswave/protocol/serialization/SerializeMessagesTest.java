package io.elaswave.protocol.serialization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import com.typesafe.config.ConfigFactory;
import io.elaswave.protocol.FloatTensor;
import io.elaswave.protocol.chunk.TensorChunk;
import io.elaswave.protocol.serialization.TestMessages.Ping;
import io.elaswave.protocol.serialization.TestMessages.Pong;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.serialization.SerializationExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * With {@code serialize-messages = on} every local message goes through its serializer, so this
 * proves the binding in reference.conf, the ActorRef round trip and the float payloads end to end.
 */
class SerializeMessagesTest {
  private static ActorTestKit testKit;

  @BeforeAll
  static void start() {
    testKit = ActorTestKit.create(ConfigFactory.parseString("pekko.actor.serialize-messages = on"));
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  /**
   * Doubles the ping's floats in place and sends that very array back through the (serialized,
   * then resolved) replyTo. Without serialization the sender's own array would come back, changed.
   */
  private static Behavior<Ping> doubler() {
    return Behaviors.receiveMessage(ping -> {
      float[] raw = ping.raw();
      for (int i = 0; i < raw.length; i++) {
        raw[i] *= 2;
      }
      ping.replyTo().tell(new Pong(3L, ping.text(), new FloatTensor(raw)));
      return Behaviors.same();
    });
  }

  @Test
  void pekkoPicksTheKryoBinding() {
    var serialization = SerializationExtension.get(Adapter.toClassic(testKit.system()));
    assertInstanceOf(KryoSerializer.class, serialization.findSerializerFor(new Pong(0L, "", FloatTensor.of())));
    assertInstanceOf(KryoSerializer.class,
        serialization.findSerializerFor(new TensorChunk(1L, 1L, 0, 1, 0, 0, new float[0])));
  }

  @Test
  void aReplyComesBackThroughTheResolvedRef() {
    ActorRef<Ping> doubler = testKit.spawn(doubler(), "doubler");
    TestProbe<Pong> probe = testKit.createTestProbe();
    float[] raw = {1f, -2.5f, Float.MIN_VALUE, 1e30f};
    FloatTensor tensor = FloatTensor.of(7f);

    doubler.tell(new Ping("hello", tensor, raw, probe.ref()));

    Pong pong = probe.receiveMessage();
    assertEquals("hello", pong.text());
    assertEquals(3L, pong.epoch());
    assertArrayEquals(new float[] {2f, -5f, 2 * Float.MIN_VALUE, 2e30f}, pong.tensor().values());
    // it really went through bytes: the receiver changed its own copy, not ours
    assertNotSame(raw, pong.tensor().values());
    assertArrayEquals(new float[] {1f, -2.5f, Float.MIN_VALUE, 1e30f}, raw);
  }
}
