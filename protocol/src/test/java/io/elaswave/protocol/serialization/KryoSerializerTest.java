package io.elaswave.protocol.serialization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.elaswave.protocol.FloatTensor;
import io.elaswave.protocol.chunk.TensorChunk;
import io.elaswave.protocol.serialization.TestMessages.Holder;
import io.elaswave.protocol.serialization.TestMessages.Ping;
import io.elaswave.protocol.serialization.TestMessages.Pong;
import io.elaswave.protocol.serialization.TestMessages.Unregistered;
import java.io.NotSerializableException;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The serializer's contract at its edges: ids, manifests, overflow, bad input, concurrency. */
class KryoSerializerTest {
  private static ActorTestKit testKit;
  private static KryoSerializer serializer;

  @BeforeAll
  static void start() {
    testKit = ActorTestKit.create();
    serializer = new KryoSerializer((ExtendedActorSystem) Adapter.toClassic(testKit.system()));
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private static Pong pong(int floats) {
    float[] values = new float[floats];
    Arrays.fill(values, 0.25f);
    return new Pong(5L, "pong", new FloatTensor(values));
  }

  @Test
  void identifierAndManifestAreFixed() {
    assertEquals(731_905, serializer.identifier());
    assertEquals("9001", serializer.manifest(pong(1)));
    assertEquals("201", serializer.manifest(new TensorChunk(1, 1, 0, 1, 0, 0, new float[0])));
  }

  @Test
  void aBufferTooSmallOverflowsLoudly() {
    ByteBuffer small = ByteBuffer.allocateDirect(256);
    assertThrows(BufferOverflowException.class, () -> serializer.toBinary(pong(1000), small));
    // the same inside a record (RecordSerializer wraps the cause) and with a limit below capacity
    TensorChunk chunk = new TensorChunk(1, 1, 0, 1, 0, 1000, new float[1000]);
    assertThrows(BufferOverflowException.class, () -> serializer.toBinary(chunk, ByteBuffer.allocate(256)));
    ByteBuffer limited = ByteBuffer.allocate(8192).limit(256);
    assertThrows(BufferOverflowException.class, () -> serializer.toBinary(pong(1000), limited));
  }

  @Test
  void unknownManifestIsNotSerializable() {
    byte[] bytes = serializer.toBinary(pong(1));
    for (String manifest : List.of("99999", "abc", "", "FloatTensor")) {
      var e = assertThrows(NotSerializableException.class, () -> serializer.fromBinary(bytes, manifest));
      assertTrue(e.getMessage().contains("Unknown elaswave-kryo manifest [" + manifest + "]"), e.getMessage());
      assertThrows(NotSerializableException.class, () -> serializer.fromBinary(ByteBuffer.wrap(bytes), manifest));
    }
  }

  @Test
  void unregisteredClassesAreRefusedByName() {
    var top = assertThrows(IllegalArgumentException.class, () -> serializer.toBinary(new Unregistered("x")));
    assertTrue(top.getMessage().contains("TestMessages$Unregistered has no Kryo id"), top.getMessage());
    var nested = assertThrows(IllegalArgumentException.class,
        () -> serializer.toBinary(new Holder(new Unregistered("x"))));
    assertTrue(nested.getMessage().contains("Unregistered"), nested.getMessage());
  }

  @Test
  void everyTruncationFails() throws Exception {
    byte[] bytes = serializer.toBinary(pong(8));
    for (int n = 0; n < bytes.length; n++) {
      byte[] cut = Arrays.copyOf(bytes, n);
      assertThrows(IllegalArgumentException.class, () -> serializer.fromBinary(cut, "9001"), "prefix " + n);
      assertThrows(IllegalArgumentException.class, () -> serializer.fromBinary(ByteBuffer.wrap(cut), "9001"));
    }
    assertEquals(pong(8), serializer.fromBinary(bytes, "9001"));
  }

  @Test
  void trailingBytesAndAMismatchedManifestFail() {
    byte[] bytes = serializer.toBinary(pong(8));
    byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
    var trailing = assertThrows(IllegalArgumentException.class, () -> serializer.fromBinary(longer, "9001"));
    assertTrue(trailing.getMessage().contains("1 bytes left"), trailing.getMessage());
    var mismatch = assertThrows(IllegalArgumentException.class, () -> serializer.fromBinary(bytes, "9000"));
    assertTrue(mismatch.getMessage().contains("manifest says 9000"), mismatch.getMessage());
  }

  @Test
  void anInflatedFloatCountFailsBeforeAllocating() {
    byte[] bytes = serializer.toBinary(FloatTensor.of(1f, 2f));
    // layout: class id varint (2 bytes for 200 + 2), float count varint (1 byte), 8 bytes of floats
    assertEquals(2 + 1 + 8, bytes.length);
    byte[] inflated = {bytes[0], bytes[1], (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07, 0, 0, 0, 0};
    var e = assertThrows(IllegalArgumentException.class, () -> serializer.fromBinary(inflated, "200"));
    assertTrue(e.getMessage().contains("only 4 left") || e.getMessage().contains("out of range"), e.getMessage());
  }

  @Test
  void randomGarbageNeverDecodes() {
    Random random = new Random(5);
    for (int trial = 0; trial < 500; trial++) {
      byte[] garbage = new byte[1 + random.nextInt(64)];
      random.nextBytes(garbage);
      for (String manifest : List.of("9000", "9001", "201")) {
        assertThrows(IllegalArgumentException.class, () -> serializer.fromBinary(garbage, manifest));
      }
    }
  }

  @Test
  void concurrentUseIsSafe() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> results = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int seed = t;
        results.add(pool.submit(() -> {
          for (int i = 0; i < 300; i++) {
            Pong pong = new Pong(seed * 1000L + i, "t" + seed, FloatTensor.of(seed, i));
            ByteBuffer buf = ByteBuffer.allocate(256);
            serializer.toBinary(pong, buf);
            buf.flip();
            assertEquals(pong, serializer.fromBinary(buf, "9001"));
            assertEquals(pong, serializer.fromBinary(serializer.toBinary(pong), "9001"));
          }
          return null;
        }));
      }
      for (Future<?> f : results) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void pingKeepsItsRawArray() throws Exception {
    float[] raw = {1f, 2f, 3f};
    Ping ping = new Ping("p", FloatTensor.of(4f), raw, testKit.<Pong>createTestProbe().ref());
    Ping back = (Ping) serializer.fromBinary(serializer.toBinary(ping), serializer.manifest(ping));
    assertArrayEquals(raw, back.raw());
    assertEquals(ping.replyTo(), back.replyTo());
  }
}
