package io.elaswave.persistence.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A session that froze mid-transaction holds its row locks; the journal server's reaper aborts
 * it, so the next writer of the same key goes through instead of timing out on the lock.
 */
class IdleTransactionReaperTest {
  @TempDir Path dir;

  @Test void aWriterFrozenMidTransactionNoLongerBlocksTheNextOne() throws Exception {
    try (H2JournalServer server = H2JournalServer.start(dir);
        Connection frozen = DriverManager.getConnection(server.jdbcUrl(), "sa", "");
        Connection next = DriverManager.getConnection(server.jdbcUrl(), "sa", "")) {
      try (Statement st = frozen.createStatement()) {
        st.execute("CREATE TABLE journal_probe(id INT PRIMARY KEY)");
      }
      frozen.setAutoCommit(false);
      try (Statement st = frozen.createStatement()) {
        st.execute("INSERT INTO journal_probe VALUES (1)"); // and then nothing: the writer froze
      }
      long t0 = System.nanoTime();
      try (Statement st = next.createStatement()) {
        st.execute("SET LOCK_TIMEOUT 10000");
        st.execute("INSERT INTO journal_probe VALUES (1)"); // waits for the lock until the reaper frees it
      }
      long waited = (System.nanoTime() - t0) / 1_000_000;
      assertTrue(waited < 6_000, "the second writer waited " + waited + " ms");
      assertThrows(SQLException.class, frozen::commit, "the frozen writer's transaction was aborted");
    }
  }

  @Test void aBusyButHealthySessionIsLeftAlone() throws Exception {
    try (H2JournalServer server = H2JournalServer.start(dir);
        Connection c = DriverManager.getConnection(server.jdbcUrl(), "sa", "");
        IdleTransactionReaper reaper = IdleTransactionReaper.start(server.jdbcUrl(), Duration.ofSeconds(2),
            Duration.ofSeconds(60))) {
      c.setAutoCommit(false);
      try (Statement st = c.createStatement()) {
        st.execute("CREATE TABLE busy_probe(id INT PRIMARY KEY)");
        st.execute("INSERT INTO busy_probe VALUES (1)");
      }
      assertEquals(0, reaper.reap(), "a transaction idle for less than the limit is kept");
      c.commit();
    }
  }
}
