package io.elaswave.actors.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Mutual TLS for Artery from a directory of cluster certificates ({@code elaswave certs}):
 * {@code trust.p12} holds the cluster's CA, {@code <name>.p12} this process's key and
 * certificate, {@code password} the stores' password. Every connection, in either direction,
 * must show a certificate the CA signed, so a process without one cannot join, and cannot send
 * a message to any actor here. Pekko's ConfigSSLEngineProvider does the handshakes (TLS 1.3).
 */
public final class NodeTls {
  /** The setting naming the directory; empty: plain TCP. */
  public static final String DIR_SETTING = "elaswave.tls.dir";
  public static final String TRUST_STORE = "trust.p12";
  public static final String PASSWORD_FILE = "password";

  private NodeTls() {}

  /** Where the key store of the process called {@code name} lives in {@code dir}. */
  public static Path keyStore(Path dir, String name) {
    return dir.resolve(name + ".p12");
  }

  /** Whether {@code config} asks for TLS. */
  static boolean enabled(Config config) {
    return config.hasPath(DIR_SETTING) && !config.getString(DIR_SETTING).isBlank();
  }

  /**
   * Artery's settings for the process called {@code name} from {@code dir}.
   *
   * @throws IllegalArgumentException naming the missing or unreadable file
   */
  static Config artery(Path dir, String name) {
    check(dir, name);
    Path key = keyStore(dir, name);
    Path trust = dir.resolve(TRUST_STORE);
    Path password = dir.resolve(PASSWORD_FILE);
    String secret;
    try {
      secret = Files.readString(password).strip();
    } catch (IOException e) {
      throw new IllegalArgumentException("--tls " + dir + ": cannot read " + password + ": " + e.getMessage());
    }
    String prefix = "pekko.remote.artery.ssl.config-ssl-engine.";
    return ConfigFactory.parseMap(Map.of(
        "pekko.remote.artery.transport", "tls-tcp",
        prefix + "key-store", key.toAbsolutePath().toString(),
        prefix + "trust-store", trust.toAbsolutePath().toString(),
        prefix + "key-store-password", secret,
        prefix + "key-password", secret,
        prefix + "trust-store-password", secret,
        prefix + "require-mutual-authentication", "on",
        // Pekko 1.7's TLS streams do not complete at termination (its Artery waits on them, unbounded
        // before 1.8's shutdown-streams-timeout): the last phase's 10 s default would pass in full
        "pekko.coordinated-shutdown.phases.actor-system-terminate.timeout", "2s"));
  }

  /**
   * Checks that {@code dir} holds what the process called {@code name} needs.
   *
   * @throws IllegalArgumentException in one line naming the missing file and how to make it
   */
  public static void check(Path dir, String name) {
    Path key = keyStore(dir, name);
    Path trust = dir.resolve(TRUST_STORE);
    Path password = dir.resolve(PASSWORD_FILE);
    for (Path p : new Path[] {trust, password}) {
      if (!Files.isReadable(p)) {
        throw new IllegalArgumentException("--tls " + dir + ": no readable " + p.getFileName()
            + " (make the directory with: elaswave certs --out " + dir + ")");
      }
    }
    if (!Files.isReadable(key)) {
      throw new IllegalArgumentException("--tls " + dir + ": no certificate for '" + name + "' (" + key.getFileName()
          + "); issue one with: elaswave certs --out " + dir + " --names " + name);
    }
  }

  /** {@link #DIR_SETTING} set to {@code dir}, as an override for {@link NodeSystem#start}. */
  public static Config using(Path dir) {
    return ConfigFactory.empty().withValue(DIR_SETTING, ConfigValueFactory.fromAnyRef(dir.toAbsolutePath().toString()));
  }
}
