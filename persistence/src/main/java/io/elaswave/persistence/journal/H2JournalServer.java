package io.elaswave.persistence.journal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import org.h2.tools.Server;

/**
 * An H2 TCP server for the shared journal, run by the one process that is never killed (the
 * local multi-JVM launcher, or a test), so that nodes can be killed without taking the journal
 * with them (a node hosting H2 itself would, see pekko-engineering.md §4.2). It listens on a free
 * loopback port, refuses connections from other hosts (no {@code -tcpAllowOthers}), keeps its
 * database files in the given directory and creates a database on first use
 * ({@code -ifNotExists}, which H2 requires for remote creation).
 *
 * <p>H2 takes its bind address from the system property {@code h2.bindAddress}, read once when
 * H2 first loads; {@link #start} sets it to 127.0.0.1 unless it is already set, so start the
 * server before anything else in the JVM touches H2. Either way, other hosts are refused.
 *
 * <p>A writer that freezes or is cut off mid-transaction must not block the scheduler that
 * takes over: an {@link IdleTransactionReaper} aborts sessions idle in a transaction for more
 * than {@link #IDLE_TRANSACTION_LIMIT}.
 */
public final class H2JournalServer implements AutoCloseable {
  /** The database name used when none is given. */
  public static final String DEFAULT_DATABASE = "journal";
  /** How long a session may sit in an open transaction before it is aborted (a write takes milliseconds). */
  public static final java.time.Duration IDLE_TRANSACTION_LIMIT = java.time.Duration.ofSeconds(2);
  private static final String BIND_ADDRESS_PROPERTY = "h2.bindAddress";

  private final Server server;
  private final Path baseDir;
  private IdleTransactionReaper reaper;

  private H2JournalServer(Server server, Path baseDir) {
    this.server = server;
    this.baseDir = baseDir;
  }

  /** Starts a server for the databases under {@code baseDir} (created if missing). */
  public static H2JournalServer start(Path baseDir) throws SQLException {
    Path dir = baseDir.toAbsolutePath();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new SQLException("cannot create the H2 journal directory " + dir, e);
    }
    if (System.getProperty(BIND_ADDRESS_PROPERTY) == null) {
      System.setProperty(BIND_ADDRESS_PROPERTY, "127.0.0.1");
    }
    // port 0: the OS picks a free port, and H2 reports the one it bound
    Server server = Server.createTcpServer("-tcpPort", "0", "-ifNotExists", "-baseDir", dir.toString()).start();
    H2JournalServer journal = new H2JournalServer(server, dir);
    try {
      journal.reaper = IdleTransactionReaper.start(journal.jdbcUrl(), IDLE_TRANSACTION_LIMIT,
          java.time.Duration.ofMillis(500));
    } catch (SQLException e) {
      server.stop();
      throw e;
    }
    return journal;
  }

  public int port() {
    return server.getPort();
  }

  public Path baseDir() {
    return baseDir;
  }

  /** The JDBC URL of database {@code name} on this server, keeping identifiers' case as the journal's schema needs. */
  public String jdbcUrl(String name) {
    return "jdbc:h2:tcp://127.0.0.1:" + port() + "/" + name + ";DATABASE_TO_UPPER=false";
  }

  /** The URL of {@link #DEFAULT_DATABASE}. */
  public String jdbcUrl() {
    return jdbcUrl(DEFAULT_DATABASE);
  }

  /** {@link #jdbcUrl(String)} as a journal database. */
  public JournalDatabase database(String name) {
    return JournalDatabase.of(jdbcUrl(name));
  }

  /** The journal database {@link #DEFAULT_DATABASE}. */
  public JournalDatabase database() {
    return database(DEFAULT_DATABASE);
  }

  /** Stops the server; open connections fail, the database files stay. */
  @Override public void close() {
    if (reaper != null) {
      reaper.close();
    }
    server.stop();
  }
}
