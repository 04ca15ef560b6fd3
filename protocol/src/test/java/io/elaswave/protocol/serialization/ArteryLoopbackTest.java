package io.elaswave.protocol.serialization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.elaswave.protocol.FloatTensor;
import io.elaswave.protocol.serialization.TestMessages.Ping;
import io.elaswave.protocol.serialization.TestMessages.Pong;
import java.time.Duration;
import org.apache.pekko.actor.Dropped;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two actor systems talking over Artery TCP on loopback: the ByteBuffer path as Pekko drives it,
 * with a typed ActorRef resolved on the far side and an oversized message dropped and reported.
 */
class ArteryLoopbackTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static ActorTestKit sender;
  private static ActorTestKit receiver;
  private static ActorRef<Ping> remoteEcho;

  private static Config remoting() {
    return ConfigFactory.parseString("""
        pekko.actor.provider = remote
        pekko.remote.artery.transport = tcp
        pekko.remote.artery.canonical.hostname = 127.0.0.1
        pekko.remote.artery.canonical.port = 0
        pekko.remote.artery.advanced.maximum-frame-size = 64 KiB
        pekko.remote.warn-about-direct-use = off
        # only silences a startup warning: this test uses neither remote watch nor remote deploy
        pekko.remote.use-unsafe-remote-features-outside-cluster = on
        """);
  }

  @BeforeAll
  static void start() {
    sender = ActorTestKit.create("sender", remoting());
    receiver = ActorTestKit.create("receiver", remoting());
    ActorRef<Ping> echo = receiver.spawn(Behaviors.<Ping>receiveMessage(ping -> {
      ping.replyTo().tell(new Pong(1L, ping.text(), new FloatTensor(ping.raw())));
      return Behaviors.same();
    }), "echo");
    // the sender knows the echo only by its serialized form, as it would from a message
    String path = ActorRefResolver.get(receiver.system()).toSerializationFormat(echo);
    remoteEcho = ActorRefResolver.get(sender.system()).resolveActorRef(path);
  }

  @AfterAll
  static void stop() {
    sender.shutdownTestKit();
    receiver.shutdownTestKit();
  }

  private static float[] ramp(int n) {
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] = i * 0.5f - 3f;
    }
    return values;
  }

  @Test
  void aPingCrossesAndThePongComesBack() {
    TestProbe<Pong> probe = sender.createTestProbe();
    float[] raw = ramp(10_000); // 40 KB: fits a 64 KiB frame
    remoteEcho.tell(new Ping("across", FloatTensor.of(1f), raw, probe.ref()));
    Pong pong = probe.receiveMessage(WAIT);
    assertEquals("across", pong.text());
    assertArrayEquals(raw, pong.tensor().values());
  }

  @Test
  void anOversizedMessageIsDroppedAndReportedThenTrafficGoesOn() {
    TestProbe<Dropped> dropped = sender.createTestProbe();
    // the classic stream's subscribe is in place when it returns; the typed Subscribe is a message
    // that could land after the drop is published, and the probe would miss it
    sender.system().classicSystem().eventStream().subscribe(
        org.apache.pekko.actor.typed.javadsl.Adapter.toClassic(dropped.ref()), Dropped.class);
    TestProbe<Pong> probe = sender.createTestProbe();

    remoteEcho.tell(new Ping("too big", FloatTensor.of(), ramp(20_000), probe.ref())); // 80 KB > 64 KiB
    Dropped event = dropped.receiveMessage(WAIT);
    assertTrue(event.reason().contains("oversized payload"), event.reason());

    remoteEcho.tell(new Ping("small", FloatTensor.of(), ramp(10), probe.ref()));
    assertEquals("small", probe.receiveMessage(WAIT).text()); // the big one never arrived
  }
}
