package io.elaswave.multinode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import io.elaswave.actors.node.NodeSystem;
import io.elaswave.actors.node.NodeTls;
import io.elaswave.actors.scheduler.SchedulerSingleton;
import io.elaswave.app.tls.ClusterCa;
import io.elaswave.engine.optim.AdamWConfig;
import io.elaswave.engine.train.StepResult;
import io.elaswave.engine.train.TrainConfig;
import io.elaswave.engine.param.Digest;
import io.elaswave.protocol.runtime.DriverMessage;
import io.elaswave.protocol.runtime.JobSpec;
import io.elaswave.protocol.runtime.NodeMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.typed.Cluster;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Artery over mutual TLS: a cluster whose every process holds a certificate of its CA trains
 * bitwise; a process with a certificate of another CA, or with none (plain TCP), neither joins
 * nor gets a message through — the one it sends would stop node-0's ranks, and the job goes on
 * with no recovery.
 */
@Tag("multijvm")
class TlsClusterTest {
  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void onlyProcessesWithTheClustersCertificatesTakePart(TestInfo test, @TempDir Path tmp) throws Exception {
    Path certs = tmp.resolve("cluster");
    ClusterCa ca = ClusterCa.openOrCreate(certs, "test");
    for (String name : List.of("driver", "node-0", "node-1")) {
      ca.issue(name);
    }
    Path foreign = tmp.resolve("foreign");
    ClusterCa.openOrCreate(foreign, "foreign").issue("node-9");
    TrainConfig config = new TrainConfig("tiny", 1337, 6, 4, 2, 3e-3f, 3e-4f, 2, 20, AdamWConfig.defaults(), 0, 2);
    List<StepResult> expected = ReferenceRun.of(config);
    ClusterHarness harness = ClusterHarness.start(ClusterHarness.settings(2, 1, TestCluster.logs(test))
        .plusJvmOptions(List.of("-D" + NodeTls.DIR_SETTING + "=" + certs.toAbsolutePath())),
        NodeTls.using(certs).withFallback(TestCluster.DRIVER));
    try (harness) {
      DriverMessage.JobStarted started = harness.client().start(new JobSpec(config, 2, 1, ""));
      String layout = started.layout();
      for (StepResult want : expected) {
        if (want.step() == 3) {
          strangersTry(harness, NodeTls.using(foreign).withFallback(TestCluster.DRIVER));
          strangersTry(harness, TestCluster.DRIVER); // plain TCP
        }
        DriverMessage.StepCommitted got = harness.client().step(want.step());
        assertEquals(Digest.hex(want.digest()), Digest.hex(got.digest()), "digest of step " + want.step());
        assertTrue(got.recoveries().isEmpty(), "no recovery: " + got.recoveries());
        assertEquals(layout, got.layout());
      }
      int members = 0;
      for (var m : Cluster.get(harness.driver()).state().getMembers()) {
        members++;
      }
      assertEquals(3, members, "node-0, node-1 and the driver only");
    }
    assertTrue(harness.allExited(), "a node JVM outlived the harness");
    assertTrue(Files.exists(certs.resolve("node-0.p12")));
  }

  /**
   * A worker called node-9 with {@code config} asks to join and tells node-0's guardian to stop
   * its ranks; for two seconds (bounded, polled) it must not become a member anywhere.
   */
  private static void strangersTry(ClusterHarness harness, Config config) throws Exception {
    ActorSystem<NodeMessage> stranger = NodeSystem.start(new NodeSystem.Settings("node-9", "127.0.0.1", 0,
        List.of(harness.cluster().seed()), 1, Set.of(SchedulerSingleton.WORKER_ROLE)), config);
    try {
      String node0 = "pekko://" + NodeSystem.SYSTEM_NAME + "@" + harness.cluster().seed() + "/user";
      stranger.classicSystem().actorSelection(node0).tell(new NodeMessage.StopRanks(),
          org.apache.pekko.actor.ActorRef.noSender());
      String address = Cluster.get(stranger).selfMember().address().toString();
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
      while (System.nanoTime() < until) {
        boolean member = false;
        for (var m : Cluster.get(harness.driver()).state().getMembers()) {
          member |= m.address().toString().equals(address);
        }
        assertFalse(member, "a stranger joined the cluster: " + address);
        assertFalse(Cluster.get(stranger).selfMember().status() == org.apache.pekko.cluster.MemberStatus.up(),
            "the stranger thinks it is up");
        Thread.sleep(50); // the poll's step, not synchronisation: nothing here may ever happen
      }
    } finally {
      stranger.terminate();
      stranger.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }
}
