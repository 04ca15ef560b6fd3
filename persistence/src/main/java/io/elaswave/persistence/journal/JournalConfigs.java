package io.elaswave.persistence.journal;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The journal configurations as resolved {@link Config}s, ready to lay over a node's config:
 * {@code JournalConfigs.jdbc(db).withFallback(nodeConfig)}. They are resolved here because the
 * journal files refer to their own {@code elaswave.journal.*} keys and an ActorSystem accepts
 * only resolved configs.
 */
public final class JournalConfigs {
  /** In-memory journal, local snapshot files: one JVM. */
  public static final String IN_MEMORY_RESOURCE = "elaswave-journal-inmem.conf";
  /** pekko-persistence-jdbc on a shared H2 or PostgreSQL database: any node. */
  public static final String JDBC_RESOURCE = "elaswave-journal-jdbc.conf";

  private JournalConfigs() {}

  /** In-memory journal with snapshots under {@code snapshotDir} (use a fresh directory per run). */
  public static Config inMemory(Path snapshotDir) {
    return resolve(IN_MEMORY_RESOURCE, Map.of("elaswave.journal.snapshot-dir", snapshotDir.toAbsolutePath().toString()));
  }

  /** In-memory journal with snapshots in a new temporary directory, so no earlier run's snapshot is found. */
  public static Config inMemory() {
    try {
      return inMemory(Files.createTempDirectory("elaswave-ledger-snapshots"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a snapshot directory for the in-memory journal", e);
    }
  }

  /** The shared JDBC journal on {@code db}, with the default pool settings. */
  public static Config jdbc(JournalDatabase db) {
    return jdbc(db, ConfigFactory.empty());
  }

  /**
   * The shared JDBC journal on {@code db}; {@code tuning} may override the other
   * {@code elaswave.journal.*} keys (pool-size, connection-timeout).
   */
  public static Config jdbc(JournalDatabase db, Config tuning) {
    Map<String, Object> keys = new HashMap<>();
    keys.put("elaswave.journal.url", db.url());
    keys.put("elaswave.journal.driver", db.dialect().driver());
    keys.put("elaswave.journal.profile", db.dialect().profile());
    if (db.user() != null) {
      keys.put("elaswave.journal.user", db.user());
    }
    if (db.password() != null) {
      keys.put("elaswave.journal.password", db.password());
    }
    return ConfigFactory.parseMap(keys).withFallback(tuning).withFallback(resource(JDBC_RESOURCE)).resolve();
  }

  private static Config resolve(String resource, Map<String, Object> keys) {
    return ConfigFactory.parseMap(keys).withFallback(resource(resource)).resolve();
  }

  /** This module's resource, never silently empty (the default for a missing resource). */
  static Config resource(String name) {
    return ConfigFactory.parseResources(JournalConfigs.class.getClassLoader(), name,
        ConfigParseOptions.defaults().setAllowMissing(false));
  }
}
