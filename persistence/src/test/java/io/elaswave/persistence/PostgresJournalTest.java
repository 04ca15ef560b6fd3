package io.elaswave.persistence;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.elaswave.persistence.journal.JournalDatabase;
import io.elaswave.persistence.journal.JournalSchema;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The JDBC journal on PostgreSQL, when {@code ELASWAVE_PG_URL} names one (CI starts it with
 * {@code persistence/scripts/start-postgres.sh}); reported as skipped otherwise. The database
 * outlives runs, so each run uses a persistence id of its own.
 */
class PostgresJournalTest {
  private static final String URL = System.getenv("ELASWAVE_PG_URL");

  @Test void aSecondSystemRecoversWhatTheFirstWrote() throws SQLException {
    assumeTrue(URL != null && !URL.isBlank(), "ELASWAVE_PG_URL is not set: no PostgreSQL to test against");
    JournalDatabase db = JournalDatabase.of(URL);
    JournalSchema.createIfMissing(db);
    JournalSchema.createIfMissing(db); // a second time changes nothing
    SharedJournalScenario.run(db, "pg-job-ledger-" + UUID.randomUUID());
  }

  /** A writer frozen mid-transaction is ended by the server, so the next writer of its key goes through. */
  @Test void aWriterFrozenMidTransactionNoLongerBlocksTheNextOne() throws SQLException {
    assumeTrue(URL != null && !URL.isBlank(), "ELASWAVE_PG_URL is not set: no PostgreSQL to test against");
    String table = "lock_probe_" + UUID.randomUUID().toString().replace("-", "");
    try (Connection frozen = DriverManager.getConnection(URL); Connection next = DriverManager.getConnection(URL)) {
      try (Statement st = frozen.createStatement()) {
        st.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY)");
      }
      frozen.setAutoCommit(false);
      try (Statement st = frozen.createStatement()) {
        st.execute("INSERT INTO " + table + " VALUES (1)"); // and then nothing: the writer froze
      }
      long t0 = System.nanoTime();
      try (Statement st = next.createStatement()) {
        st.execute("SET lock_timeout = '10s'");
        st.execute("INSERT INTO " + table + " VALUES (1)");
        st.execute("DROP TABLE " + table);
      }
      long waited = (System.nanoTime() - t0) / 1_000_000;
      assertTrue(waited < 6_000, "the second writer waited " + waited + " ms");
      assertThrows(SQLException.class, frozen::commit, "the server ended the frozen writer's session");
    }
  }
}
