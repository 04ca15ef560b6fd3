package io.elaswave.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.elaswave.persistence.journal.H2JournalServer;
import io.elaswave.persistence.journal.JournalSchema;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JDBC journal on an H2 TCP server held by this JVM, as the local launcher holds it for its nodes. */
class H2JournalTest {
  @TempDir static Path dir;
  private static H2JournalServer server;

  @BeforeAll static void startServer() throws SQLException {
    server = H2JournalServer.start(dir);
    JournalSchema.createIfMissing(server.database());
  }

  @AfterAll static void stopServer() {
    server.close();
  }

  @Test void aSecondSystemRecoversWhatTheFirstWrote() throws SQLException {
    SharedJournalScenario.run(server.database(), "h2-job-ledger");
  }

  @Test void creatingTheSchemaAgainChangesNothing() throws SQLException {
    JournalSchema.createIfMissing(server.database());
    JournalSchema.createIfMissing(server.database());
    try (Connection c = DriverManager.getConnection(server.jdbcUrl(), "sa", "");
        ResultSet rs = c.getMetaData().getTables(null, "PUBLIC", "%", new String[] {"TABLE"})) {
      int tables = 0;
      while (rs.next()) {
        tables++;
      }
      assertEquals(4, tables, "event_journal, event_tag, snapshot, durable_state");
    }
  }

  @Test void serverReportsThePortTheSystemChose() {
    assertTrue(server.port() > 0, "H2 was asked for port 0 and reports the bound one");
    assertEquals("jdbc:h2:tcp://127.0.0.1:" + server.port() + "/journal;DATABASE_TO_UPPER=false", server.jdbcUrl());
  }
}
