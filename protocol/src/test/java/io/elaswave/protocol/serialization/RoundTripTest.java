package io.elaswave.protocol.serialization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.elaswave.protocol.FloatTensor;
import io.elaswave.protocol.serialization.TestMessages.Pong;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.SerializationExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Walks every registered class through both serializer paths. */
class RoundTripTest {
  private static ActorTestKit testKit;
  private static KryoSerializer serializer;
  private static ActorRef<Pong> ref;

  @BeforeAll
  static void start() {
    testKit = ActorTestKit.create();
    // the instance Pekko built from reference.conf, not one made by hand
    serializer = (KryoSerializer) SerializationExtension.get(Adapter.toClassic(testKit.system()))
        .serializerByIdentity().apply(KryoSerializer.IDENTIFIER);
    ref = testKit.<Pong>createTestProbe().ref();
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void everyRegisteredClassHasASample() {
    Set<Class<?>> sampled = new HashSet<>();
    Samples.all(ref).forEach(s -> sampled.add(s.getClass()));
    for (Registration r : Registrations.load(getClass().getClassLoader()).entries()) {
      assertTrue(sampled.contains(r.type()), "no sample of " + r.type().getName() + " in Samples.all");
    }
  }

  @TestFactory
  Stream<DynamicTest> everySampleRoundTrips() {
    return Samples.all(ref).stream().map(sample -> DynamicTest.dynamicTest(describe(sample), () -> {
      String manifest = serializer.manifest(sample);
      byte[] bytes = serializer.toBinary(sample);
      assertRoundTripped(sample, serializer.fromBinary(bytes, manifest));

      for (ByteBuffer buf : List.of(ByteBuffer.allocate(bytes.length + 64), ByteBuffer.allocateDirect(bytes.length + 64))) {
        buf.order(ByteOrder.LITTLE_ENDIAN).position(17); // as behind Artery's envelope header
        serializer.toBinary(sample, buf);
        assertEquals(17 + bytes.length, buf.position(), "position must end right after the payload");
        buf.flip().position(17);
        byte[] written = new byte[buf.remaining()];
        buf.duplicate().get(written);
        assertArrayEquals(bytes, written, "both paths write the same bytes");
        assertRoundTripped(sample, serializer.fromBinary(buf, manifest));
      }
    }));
  }

  @Test
  void floatBitsSurviveExactly() throws Exception {
    float[] tricky = Samples.trickyFloats();
    FloatTensor back = (FloatTensor) serializer.fromBinary(serializer.toBinary(new FloatTensor(tricky)), "200");
    for (int i = 0; i < tricky.length; i++) {
      assertEquals(Float.floatToRawIntBits(tricky[i]), Float.floatToRawIntBits(back.values()[i]), "element " + i);
    }
  }

  @Test
  void largeTensorThroughADirectBuffer() throws Exception {
    float[] big = new float[1 << 20];
    Random random = new Random(11);
    for (int i = 0; i < big.length; i++) {
      big[i] = random.nextFloat() - 0.5f;
    }
    ByteBuffer buf = ByteBuffer.allocateDirect(big.length * 4 + 64);
    serializer.toBinary(new FloatTensor(big), buf);
    buf.flip();
    FloatTensor back = (FloatTensor) serializer.fromBinary(buf, "200");
    assertArrayEquals(big, back.values());
    // a second byte[] round trip reuses a pooled output that has grown to fit
    assertArrayEquals(big, ((FloatTensor) serializer.fromBinary(serializer.toBinary(back), "200")).values());
  }

  private static void assertRoundTripped(Object expected, Object actual) {
    assertTrue(Arrays.deepEquals(new Object[] {expected}, new Object[] {actual}),
        () -> "round trip changed " + describe(expected) + " into " + describe(actual));
  }

  private static String describe(Object o) {
    String value = o.getClass().isArray() ? Arrays.deepToString(new Object[] {o}) : String.valueOf(o);
    return o.getClass().getSimpleName() + " " + value;
  }
}
