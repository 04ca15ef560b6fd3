package io.elaswave.app.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.elaswave.actors.node.NodeHealth;
import io.elaswave.app.launch.FreePorts;
import io.elaswave.planner.RankId;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.function.IntPredicate;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.cluster.typed.Leave;
import org.junit.jupiter.api.Test;

/**
 * A node's Pekko Management over HTTP: alive from the start; ready only once it is an Up member
 * and hosts ranks; not ready again when its ranks stop or it leaves the cluster.
 */
class ReadinessTest {
  /** Pekko Management's answer for a failed check ("Not Healthy: Check [...] not ok"). */
  private static final int NOT_READY = 500;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @Test
  void readyOnlyWhileUpAndHostingRanks() throws Exception {
    int port = FreePorts.pick(1).get(0);
    Config config = NodeManagement.config("127.0.0.1", port).withFallback(ConfigFactory.parseString("""
        pekko.actor.provider = cluster
        pekko.remote.artery.canonical.hostname = 127.0.0.1
        pekko.remote.artery.canonical.port = 0
        pekko.coordinated-shutdown.terminate-actor-system = off
        pekko.coordinated-shutdown.run-by-actor-system-terminate = off
        pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off
        pekko.cluster.run-coordinated-shutdown-when-down = off
        pekko.loglevel = WARNING
        """)).withFallback(ConfigFactory.load());
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "elaswave", config);
    try {
      String base = NodeManagement.start(system).replaceAll("/$", "");
      assertEquals(200, code(base + "/alive"), "alive as soon as it serves");
      assertEquals(NOT_READY, code(base + "/ready"), "not a member yet");

      Cluster cluster = Cluster.get(system);
      cluster.manager().tell(Join.create(cluster.selfMember().address()));
      await(() -> cluster.selfMember().status().equals(MemberStatus.up()), "Up");
      assertEquals(NOT_READY, code(base + "/ready"), "Up, but no ranks yet");

      NodeHealth.get(system).hosting(List.of(RankId.of(0), RankId.of(1)));
      assertEquals(200, code(base + "/ready"), "Up and hosting ranks");
      NodeHealth.get(system).hosting(List.of());
      assertEquals(NOT_READY, code(base + "/ready"), "its ranks stopped");

      NodeHealth.get(system).hosting(List.of(RankId.of(0)));
      assertEquals(200, code(base + "/ready"));
      cluster.manager().tell(Leave.create(cluster.selfMember().address()));
      awaitCode(base + "/ready", c -> c == NOT_READY, "not ready once it leaves");
      assertEquals(200, code(base + "/alive"), "a leaving node is still alive");
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get();
    }
  }

  private int code(String uri) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  /** Bounded poll: the cluster changes state asynchronously. */
  private static void await(java.util.function.BooleanSupplier done, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(20); // the poll's step, bounded by the deadline above
    }
  }

  private void awaitCode(String uri, IntPredicate ok, String what) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    int last;
    while (!ok.test(last = code(uri))) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what + ": last answer " + last);
      }
      Thread.sleep(20); // the poll's step, bounded by the deadline above
    }
  }
}
