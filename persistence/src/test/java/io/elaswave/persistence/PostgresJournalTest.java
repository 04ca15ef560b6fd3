package io.elaswave.persistence;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.elaswave.persistence.journal.JournalDatabase;
import io.elaswave.persistence.journal.JournalSchema;
import java.sql.SQLException;
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
}
