package io.elaswave.persistence.journal;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * H2's counterpart of PostgreSQL's {@code idle_in_transaction_session_timeout}: a writer that
 * froze or was cut off in the middle of a transaction holds its row locks for as long as its TCP
 * connection looks alive, and the scheduler that takes the job over would wait on them. Every
 * {@code period} this aborts the sessions that hold uncommitted changes and have been idle for
 * longer than {@code idleLimit} (a journal transaction takes milliseconds), releasing the locks;
 * their writes are rolled back, which is what a dead writer's writes must be.
 */
public final class IdleTransactionReaper implements AutoCloseable {
  private static final String STALE = "SELECT SESSION_ID FROM INFORMATION_SCHEMA.SESSIONS WHERE CONTAINS_UNCOMMITTED"
      + " AND SESSION_STATE = 'SLEEP' AND SLEEP_SINCE < DATEADD(MILLISECOND, ?, CURRENT_TIMESTAMP)"
      + " AND SESSION_ID <> SESSION_ID()";

  private final ScheduledExecutorService timer;
  private final Connection connection;
  private final Duration idleLimit;
  private final List<Integer> aborted = new ArrayList<>();

  private IdleTransactionReaper(Connection connection, Duration idleLimit) {
    this.connection = connection;
    this.idleLimit = idleLimit;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "h2-idle-transaction-reaper");
      t.setDaemon(true);
      return t;
    });
  }

  /** Starts reaping on the database at {@code url} (as H2's admin user {@code sa}). */
  public static IdleTransactionReaper start(String url, Duration idleLimit, Duration period) throws SQLException {
    IdleTransactionReaper reaper = new IdleTransactionReaper(DriverManager.getConnection(url, "sa", ""), idleLimit);
    reaper.timer.scheduleWithFixedDelay(reaper::reapQuietly, period.toMillis(), period.toMillis(),
        TimeUnit.MILLISECONDS);
    return reaper;
  }

  /** Aborts the stale sessions now; returns how many. */
  synchronized int reap() throws SQLException {
    List<Integer> stale = new ArrayList<>();
    try (PreparedStatement q = connection.prepareStatement(STALE)) {
      q.setLong(1, -idleLimit.toMillis());
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          stale.add(rs.getInt(1));
        }
      }
    }
    for (int id : stale) {
      try (PreparedStatement abort = connection.prepareStatement("CALL ABORT_SESSION(?)")) {
        abort.setInt(1, id);
        abort.execute();
      }
      aborted.add(id);
    }
    return stale.size();
  }

  /** The sessions aborted so far. */
  synchronized List<Integer> aborted() {
    return List.copyOf(aborted);
  }

  private void reapQuietly() {
    try {
      reap();
    } catch (SQLException e) {
      // the server is stopping, or busy: the next round tries again
    }
  }

  @Override public void close() {
    timer.shutdownNow();
    try {
      connection.close();
    } catch (SQLException e) {
      // closing anyway
    }
  }
}
