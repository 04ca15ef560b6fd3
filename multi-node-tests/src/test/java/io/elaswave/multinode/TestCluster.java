package io.elaswave.multinode;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.TestInfo;

/** What every multi-JVM scenario shares: the driver's settings and where node logs go. */
final class TestCluster {
  private TestCluster() {}

  /** The test JVM drives; it must never exit or run coordinated shutdown on its own. */
  static final Config DRIVER = ConfigFactory.parseString("""
      pekko.loglevel = WARNING
      pekko.coordinated-shutdown.exit-jvm = off
      pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off
      pekko.jvm-exit-on-fatal-error = off
      elaswave.start-timeout = 60s
      elaswave.step-timeout = 60s
      elaswave.ask-timeout = 3s
      """);

  /** Node logs stay in target/node-logs/<test> for whoever reads a failure. */
  static Path logs(TestInfo test) throws IOException {
    return Files.createDirectories(Path.of("target", "node-logs",
        test.getTestMethod().orElseThrow().getName() + "-" + System.nanoTime()));
  }
}
