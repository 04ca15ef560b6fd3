package io.elaswave.actors.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.elaswave.actors.scheduler.SchedulerSingleton;
import io.elaswave.persistence.journal.JournalConfigs;
import io.elaswave.persistence.journal.JournalDatabase;
import io.elaswave.planner.NodeId;
import io.elaswave.protocol.runtime.NodeMessage;
import java.util.List;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;

/** Builds one JVM's actor system: a cluster member with its roles, joined to the seeds. */
public final class NodeSystem {
  public static final String SYSTEM_NAME = "elaswave";
  public static final String DRIVER_ROLE = "driver";
  /** Cluster, remoting and downing settings shared by every node (see the file). */
  public static final String NODE_CONFIG = "elaswave-node.conf";

  private NodeSystem() {}

  /**
   * Where and how a node runs. {@code seeds} are host:port pairs; with none, the node forms a
   * one-member cluster by joining itself. {@code capacity} counts ranks it may host (workers).
   */
  public record Settings(String name, String host, int port, List<String> seeds, int capacity, Set<String> roles) {
    public Settings {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be in [0, 65535]");
      }
      if (roles.contains(SchedulerSingleton.WORKER_ROLE) && capacity < 1) {
        throw new IllegalArgumentException("a worker node needs room for at least one rank");
      }
      seeds = List.copyOf(seeds);
      roles = Set.copyOf(roles);
    }

    public boolean worker() {
      return roles.contains(SchedulerSingleton.WORKER_ROLE);
    }
  }

  public static ActorSystem<NodeMessage> start(Settings settings, Config overrides) {
    return start(settings, overrides, FixedClock.INSTANCE);
  }

  /** As {@link #start(Settings, Config)}, on a node whose clock {@code governor} sets. */
  public static ActorSystem<NodeMessage> start(Settings settings, Config overrides, FrequencyGovernor governor) {
    // a -D the JVM was given wins over our node profile (budgeted nodes stretch its failure detector)
    Config ours = overrides.withFallback(ConfigFactory.systemProperties()).withFallback(clusterConfig(settings))
        .withFallback(ConfigFactory.parseResources(NodeSystem.class.getClassLoader(), NODE_CONFIG));
    // the journal goes above the library defaults (they name no journal) and below our settings
    Config config = ours.withFallback(journal(ours.withFallback(ConfigFactory.load())))
        .withFallback(ConfigFactory.load());
    if (NodeTls.enabled(config)) {
      config = NodeTls.artery(java.nio.file.Path.of(config.getString(NodeTls.DIR_SETTING)), settings.name())
          .withFallback(config);
    }
    int maxFloats = frameChecked(config);
    Behavior<NodeMessage> guardian = settings.worker()
        ? NodeGuardian.create(new NodeGuardian.Settings(NodeId.of(settings.name()), settings.capacity(), maxFloats,
            governor))
        : Behaviors.empty();
    ActorSystem<NodeMessage> system = ActorSystem.create(guardian, SYSTEM_NAME, config);
    if (settings.worker() && config.hasPath("elaswave.journal.url")
        && !config.getString("elaswave.journal.url").isBlank()) {
      // the scheduler may move here: open and warm the journal now, not during a fail-over
      JournalWarmup.start(system, settings.name());
    }
    if (settings.seeds().isEmpty()) {
      Cluster cluster = Cluster.get(system);
      cluster.manager().tell(Join.create(cluster.selfMember().address()));
    }
    return system;
  }

  /**
   * {@code elaswave.max-floats-per-message}, once it is known to fit Artery's large-message frame:
   * every tensor message is cut to it, so one that did not fit would be dropped on every send.
   *
   * @throws IllegalArgumentException naming both settings if it does not fit
   */
  static int frameChecked(Config config) {
    int maxFloats = config.getInt("elaswave.max-floats-per-message");
    long frame = config.getBytes("pekko.remote.artery.advanced.maximum-large-frame-size");
    long need = (long) maxFloats * Float.BYTES + io.elaswave.protocol.chunk.TensorChunker.FRAME_RESERVE_BYTES;
    if (maxFloats < 1 || need > frame) {
      throw new IllegalArgumentException("elaswave.max-floats-per-message = " + maxFloats + " needs frames of " + need
          + " bytes, but pekko.remote.artery.advanced.maximum-large-frame-size is " + frame);
    }
    return maxFloats;
  }

  /**
   * The job ledger's journal: JDBC when {@code elaswave.journal.url} is set (an H2 server the
   * launcher runs, or PostgreSQL), so a scheduler that moves to another node finds the job;
   * otherwise in memory, which only a single-node run can use.
   */
  private static Config journal(Config config) {
    if (config.hasPath("elaswave.journal.url") && !config.getString("elaswave.journal.url").isBlank()) {
      return JournalConfigs.jdbc(JournalDatabase.of(config.getString("elaswave.journal.url")));
    }
    return JournalConfigs.inMemory();
  }

  private static Config clusterConfig(Settings s) {
    List<String> seeds = s.seeds().stream().map(hp -> "pekko://" + SYSTEM_NAME + "@" + hp).toList();
    return ConfigFactory.empty()
        .withValue("pekko.remote.artery.canonical.hostname", ConfigValueFactory.fromAnyRef(s.host()))
        .withValue("pekko.remote.artery.canonical.port", ConfigValueFactory.fromAnyRef(s.port()))
        .withValue("pekko.cluster.roles", ConfigValueFactory.fromIterable(s.roles().stream().sorted().toList()))
        .withValue("pekko.cluster.seed-nodes", ConfigValueFactory.fromIterable(seeds));
  }
}
