package io.elaswave.actors;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.elaswave.actors.node.NodeSystem;
import io.elaswave.actors.rank.SharedCorpus;
import io.elaswave.engine.optim.AdamWConfig;
import io.elaswave.engine.train.ReferenceTrainer;
import io.elaswave.engine.train.StepResult;
import io.elaswave.engine.train.TrainConfig;
import java.util.List;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorSystem;

/** Shared pieces of the runtime tests: a one-JVM cluster and the reference trainer's results. */
final class RuntimeFixture {
  private RuntimeFixture() {}

  /** Every message, local ones too, goes through the Kryo serializer: a missing binding fails. */
  static final Config TEST_CONFIG = ConfigFactory.parseString("""
      pekko.loglevel = WARNING
      pekko.actor.serialize-messages = on
      pekko.coordinated-shutdown.exit-jvm = off
      pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off
      pekko.jvm-exit-on-fatal-error = off
      elaswave.step-timeout = 60s
      elaswave.ask-timeout = 20s
      elaswave.start-timeout = 2s
      elaswave.max-floats-per-message = 4096
      """);

  static ActorSystem<?> embedded(int capacity) {
    return embedded(capacity, "");
  }

  /** A one-JVM cluster with {@code overrides} (HOCON) above the test settings. */
  static ActorSystem<?> embedded(int capacity, String overrides) {
    return NodeSystem.start(new NodeSystem.Settings("node-0", "127.0.0.1", 0, List.of(), capacity,
        Set.of("worker", NodeSystem.DRIVER_ROLE)), ConfigFactory.parseString(overrides).withFallback(TEST_CONFIG));
  }

  static TrainConfig tiny(int microBatches, int steps) {
    return new TrainConfig("tiny", 1337, steps, microBatches, 2, 3e-3f, 3e-4f, 2, 20, AdamWConfig.defaults(), 0, 2);
  }

  static List<StepResult> reference(TrainConfig config) {
    return new ReferenceTrainer(config, SharedCorpus.get()).run(config.steps());
  }
}
