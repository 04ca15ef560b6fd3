package io.elaswave.persistence.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.elaswave.persistence.journal.JournalDatabase.Dialect;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The journal configs resolve to what pekko-persistence-jdbc reads, and the schema scripts are made idempotent. */
class JournalConfigsTest {
  private static final String SLICK = "pekko-persistence-jdbc.shared-databases.slick.";

  @Test void jdbcOnH2() {
    JournalDatabase db = JournalDatabase.of("jdbc:h2:tcp://127.0.0.1:9999/journal;DATABASE_TO_UPPER=false");
    Config c = JournalConfigs.jdbc(db);
    assertEquals("jdbc-journal", c.getString("pekko.persistence.journal.plugin"));
    assertEquals("jdbc-snapshot-store", c.getString("pekko.persistence.snapshot-store.plugin"));
    assertEquals(List.of("jdbc-journal"), c.getStringList("pekko.persistence.journal.auto-start-journals"));
    assertEquals("slick", c.getString("jdbc-journal.use-shared-db"));
    assertEquals("slick.jdbc.H2Profile$", c.getString(SLICK + "profile"));
    assertEquals(db.url(), c.getString(SLICK + "db.url"));
    assertEquals("org.h2.Driver", c.getString(SLICK + "db.driver"));
    assertEquals("sa", c.getString(SLICK + "db.user"));
    assertEquals(2, c.getInt(SLICK + "db.maxConnections"));
    assertEquals(2, c.getInt(SLICK + "db.numThreads"));
    assertEquals(2000, c.getDuration(SLICK + "db.connectionTimeout").toMillis());
  }

  @Test void jdbcOnPostgresTakesCredentialsFromTheUrl() {
    JournalDatabase db = JournalDatabase.of("jdbc:postgresql://127.0.0.1:5432/elaswave?user=elaswave&password=elaswave");
    Config c = JournalConfigs.jdbc(db, ConfigFactory.parseString("elaswave.journal.pool-size = 3"));
    assertEquals("slick.jdbc.PostgresProfile$", c.getString(SLICK + "profile"));
    assertEquals("org.postgresql.Driver", c.getString(SLICK + "db.driver"));
    assertFalse(c.hasPath(SLICK + "db.user"), "no user key: the URL's own is used");
    assertFalse(c.hasPath(SLICK + "db.password"));
    assertEquals(3, c.getInt(SLICK + "db.maxConnections"));
    assertFalse(db.toString().contains("password"), "the URL's password stays out of logs: " + db);
  }

  @Test void unusableUrlsAreRefusedUpFront() {
    assertThrows(IllegalArgumentException.class, () -> JournalDatabase.of("jdbc:mysql://127.0.0.1/x"));
    assertThrows(IllegalArgumentException.class, () -> JournalDatabase.of("jdbc:h2:tcp://127.0.0.1:9999/journal"));
  }

  @Test void inMemoryKeepsSnapshotsInTheGivenDir() {
    Config c = JournalConfigs.inMemory(Path.of("/tmp/elaswave-test-snapshots"));
    assertEquals("pekko.persistence.journal.inmem", c.getString("pekko.persistence.journal.plugin"));
    assertEquals("pekko.persistence.snapshot-store.local", c.getString("pekko.persistence.snapshot-store.plugin"));
    assertEquals("/tmp/elaswave-test-snapshots", c.getString("pekko.persistence.snapshot-store.local.dir"));
  }

  @Test void everyIndexOfTheShippedScriptsIsCreatedOnlyIfMissing() {
    for (Dialect d : Dialect.values()) {
      List<String> statements = JournalSchema.statements(d);
      assertTrue(statements.stream().anyMatch(s -> s.contains("event_journal")), d + " script creates the journal");
      for (String s : statements) {
        assertTrue(s.toUpperCase(java.util.Locale.ROOT).contains("IF NOT EXISTS"), () -> d + ": not idempotent: " + s);
      }
    }
  }
}
