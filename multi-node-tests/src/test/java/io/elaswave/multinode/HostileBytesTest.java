package io.elaswave.multinode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.elaswave.engine.optim.AdamWConfig;
import io.elaswave.engine.param.Digest;
import io.elaswave.engine.train.StepResult;
import io.elaswave.engine.train.TrainConfig;
import io.elaswave.protocol.FloatTensor;
import io.elaswave.protocol.runtime.BlockValues;
import io.elaswave.protocol.runtime.DriverMessage;
import io.elaswave.protocol.runtime.JobSpec;
import io.elaswave.protocol.runtime.RankMessage;
import io.elaswave.protocol.serialization.KryoSerializer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.SerializerWithStringManifest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;

/**
 * Damaged bytes at a live node: a process that speaks Artery sends node-0 frames whose payloads
 * claim to be elaswave messages — real ones truncated, bit-flipped, with an inflated length or the
 * wrong manifest, and random garbage. Node-0's Kryo binding must refuse them (Artery logs each and
 * drops it) and the job must go on, bitwise, with no recovery.
 */
@Tag("multijvm")
class HostileBytesTest {
  /** A payload sent as it is, under the manifest it claims. */
  record Raw(String manifest, byte[] bytes) {}

  /** The stranger's stand-in for the Kryo binding: same identifier, any bytes. */
  public static final class RawSerializer extends SerializerWithStringManifest {
    public RawSerializer(org.apache.pekko.actor.ExtendedActorSystem system) {}

    @Override public int identifier() {
      return KryoSerializer.IDENTIFIER;
    }

    @Override public String manifest(Object o) {
      return ((Raw) o).manifest();
    }

    @Override public byte[] toBinary(Object o) {
      return ((Raw) o).bytes();
    }

    @Override public Object fromBinary(byte[] bytes, String manifest) {
      throw new UnsupportedOperationException("the stranger only sends");
    }
  }

  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void damagedFramesAreRefusedAndTheJobGoesOnBitwise(TestInfo test) throws Exception {
    TrainConfig config = new TrainConfig("tiny", 1337, 6, 4, 2, 3e-3f, 3e-4f, 2, 20, AdamWConfig.defaults(), 0, 2);
    List<StepResult> expected = ReferenceRun.of(config);
    Path logs = TestCluster.logs(test);
    ClusterHarness harness = ClusterHarness.start(2, 1, logs, TestCluster.DRIVER);
    try (harness) {
      String layout = harness.client().start(new JobSpec(config, 2, 1, "")).layout();
      for (StepResult want : expected) {
        if (want.step() == 3) {
          attack(harness, logs.resolve("node-0.log"));
        }
        DriverMessage.StepCommitted got = harness.client().step(want.step());
        assertEquals(Digest.hex(want.digest()), Digest.hex(got.digest()), "digest of step " + want.step());
        assertTrue(got.recoveries().isEmpty(), "no recovery: " + got.recoveries());
        assertEquals(layout, got.layout());
      }
      assertTrue(harness.node("node-0").isAlive() && harness.node("node-1").isAlive());
    }
    assertTrue(harness.allExited(), "a node JVM outlived the harness");
  }

  /** Sends every damaged frame to a path on node-0 that no actor has, and waits until node-0 logs refusals. */
  private static void attack(ClusterHarness harness, Path nodeLog) throws Exception {
    var serialization = SerializationExtension.get(harness.driver().classicSystem());
    List<Object> originals = List.of(
        new RankMessage.Activation(1, 1, 0, new FloatTensor(new float[64])),
        new RankMessage.BlockUpdates(1, 1, List.of(new BlockValues(0, 0, new FloatTensor(new float[] {1f, 2f})))),
        new RankMessage.RunStep(1, 1));
    Random random = new Random(7);
    List<Raw> frames = new ArrayList<>();
    for (Object o : originals) {
      var kryo = (KryoSerializer) serialization.findSerializerFor(o);
      String manifest = kryo.manifest(o);
      byte[] good = kryo.toBinary(o);
      for (int cut = 0; cut < good.length; cut += Math.max(1, good.length / 40)) {
        frames.add(new Raw(manifest, Arrays.copyOf(good, cut))); // truncated
      }
      for (int i = 0; i < 40; i++) {
        byte[] flipped = good.clone();
        flipped[random.nextInt(Math.min(flipped.length, 16))] ^= (byte) (1 + random.nextInt(255)); // in the header
        frames.add(new Raw(manifest, flipped));
      }
      byte[] inflated = good.clone();
      Arrays.fill(inflated, 1, Math.min(inflated.length, 6), (byte) 0xFF); // a huge length or count
      frames.add(new Raw(manifest, inflated));
      frames.add(new Raw("1082", good)); // another type's manifest
      frames.add(new Raw("99999", good));
      frames.add(new Raw("not-a-number", good));
      byte[] trailing = Arrays.copyOf(good, good.length + 3);
      frames.add(new Raw(manifest, trailing));
    }
    for (int i = 0; i < 60; i++) {
      byte[] garbage = new byte[random.nextInt(2048)];
      random.nextBytes(garbage);
      frames.add(new Raw(i % 2 == 0 ? "1045" : "1048", garbage));
    }
    ActorSystem stranger = stranger(true);
    try {
      String node0 = "pekko://elaswave@" + harness.cluster().seed();
      // A handshake first: frames told before the association is up could be dropped at terminate.
      stranger.actorSelection(node0 + "/user").resolveOne(java.time.Duration.ofSeconds(20))
          .toCompletableFuture().get(30, TimeUnit.SECONDS);
      // A resolved remote ref, so each payload is a top-level Artery envelope under the Kryo id.
      ActorRef target = ((org.apache.pekko.actor.ExtendedActorSystem) stranger).provider()
          .resolveActorRef(node0 + "/user/no-such-actor");
      for (Raw r : frames) {
        target.tell(r, ActorRef.noSender());
      }
      assertTrue(frames.size() > 250, "frames sent: " + frames.size());
      NodeLogs.await(nodeLog.getParent(), "with serializer id [" + KryoSerializer.IDENTIFIER);
    } finally {
      stranger.terminate();
      stranger.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  /**
   * A system outside the cluster that speaks Artery: with {@code raw}, its Kryo id sends frames as
   * they are; otherwise it serializes elaswave's messages as a node would.
   */
  private static ActorSystem stranger(boolean raw) {
    String serializer = !raw ? "" : """
        pekko.actor.serializers.elaswave-kryo = "io.elaswave.multinode.HostileBytesTest$RawSerializer"
        pekko.actor.serialization-bindings { "io.elaswave.multinode.HostileBytesTest$Raw" = elaswave-kryo }
        """;
    return ActorSystem.create("stranger", ConfigFactory.parseString("""
        pekko.actor.provider = remote
        pekko.remote.artery.transport = tcp
        pekko.remote.artery.canonical.hostname = "127.0.0.1"
        pekko.remote.artery.canonical.port = 0
        pekko.loglevel = WARNING
        """ + serializer).withFallback(ConfigFactory.load()));
  }

  /**
   * A stranger that reaches a node's port offers itself as a node: well-formed heartbeats, sent
   * to the scheduler, with a guardian of its own. They are refused (said once) and no rank is
   * ever placed on it; the job goes on bitwise on its members.
   */
  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void aStrangersHeartbeatsAreRefusedAndNoRankLandsOnIt(TestInfo test) throws Exception {
    TrainConfig config = new TrainConfig("tiny", 1337, 6, 4, 2, 3e-3f, 3e-4f, 2, 20, AdamWConfig.defaults(), 0, 2);
    List<StepResult> expected = ReferenceRun.of(config);
    Path logs = TestCluster.logs(test);
    ClusterHarness harness = ClusterHarness.start(2, 1, logs, TestCluster.DRIVER);
    ActorSystem stranger = stranger(false);
    try (harness) {
      var typed = org.apache.pekko.actor.typed.javadsl.Adapter.toTyped(stranger);
      var guardian = org.apache.pekko.actor.testkit.typed.javadsl.TestProbe.<io.elaswave.protocol.runtime.NodeMessage>create(typed);
      String layout = harness.client().start(new JobSpec(config, 2, 1, "")).layout();
      var scheduler = ((org.apache.pekko.actor.ExtendedActorSystem) stranger).provider().resolveActorRef(
          "pekko://elaswave@" + harness.cluster().seed() + "/system/singletonManagerscheduler/scheduler");
      for (StepResult want : expected) {
        if (want.step() == 2) {
          for (int i = 0; i < 20; i++) { // a node beats every 100 ms; so does the stranger, 20 times
            scheduler.tell(new io.elaswave.protocol.runtime.SchedulerMessage.NodeAvailable(
                io.elaswave.planner.NodeId.of("stranger"), 8, ProcessHandle.current().pid(),
                stranger.provider().getDefaultAddress().host().get() + ":"
                    + stranger.provider().getDefaultAddress().port().get(),
                List.of(), guardian.ref(), io.elaswave.protocol.runtime.ClockInfo.FIXED), ActorRef.noSender());
          }
          NodeLogs.await(logs, "refused a heartbeat claiming to be node stranger");
        }
        DriverMessage.StepCommitted got = harness.client().step(want.step());
        assertEquals(Digest.hex(want.digest()), Digest.hex(got.digest()), "digest of step " + want.step());
        assertTrue(got.recoveries().isEmpty(), "no recovery: " + got.recoveries());
        assertEquals(layout, got.layout(), "no rank joined on the stranger");
      }
      guardian.expectNoMessage(java.time.Duration.ofMillis(500)); // never asked to spawn a rank
      assertEquals(1, NodeLogs.count(logs, "refused a heartbeat claiming to be node stranger"), "said once");
    } finally {
      stranger.terminate();
      stranger.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    assertTrue(harness.allExited(), "a node JVM outlived the harness");
  }
}
