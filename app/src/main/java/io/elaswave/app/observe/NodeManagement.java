package io.elaswave.app.observe;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.management.javadsl.PekkoManagement;

/**
 * Pekko Management on a node: the cluster HTTP routes (read-only: members, their status and
 * roles) and the health checks {@code /alive} and {@code /ready}, where ready means the member
 * is Up (Pekko's own {@code cluster-membership} check) and hosts ranks of the job
 * ({@link RanksReadyCheck}).
 */
public final class NodeManagement {
  private static final Duration BIND_TIMEOUT = Duration.ofSeconds(15);

  private NodeManagement() {}

  /** The settings that make the node's actor system serve management on {@code host:port}. */
  public static Config config(String host, int port) {
    return ConfigFactory.parseMap(Map.of(
        "pekko.management.http.hostname", host,
        "pekko.management.http.port", port,
        "pekko.management.http.route-providers-read-only", true,
        "pekko.management.health-checks.readiness-checks.elaswave-ranks", RanksReadyCheck.class.getName()));
  }

  /**
   * Starts serving (the system was built with {@link #config}); returns the URI it serves on.
   *
   * @throws IllegalStateException in one line when it cannot bind (a port in use)
   */
  public static String start(ActorSystem<?> system) {
    try {
      return PekkoManagement.get(Adapter.toClassic(system)).start().toCompletableFuture()
          .get(BIND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).toString();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new IllegalStateException("cannot serve Pekko Management: " + cause.getMessage(), cause);
    } catch (TimeoutException e) {
      throw new IllegalStateException("Pekko Management did not bind within " + BIND_TIMEOUT.toSeconds() + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting Pekko Management", e);
    }
  }
}
