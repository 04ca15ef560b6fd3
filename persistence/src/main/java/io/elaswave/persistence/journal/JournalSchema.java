package io.elaswave.persistence.journal;

import io.elaswave.persistence.journal.JournalDatabase.Dialect;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Creates the tables pekko-persistence-jdbc needs (journal, tags, snapshots, durable state), if
 * they are missing; the plugin never creates them itself. The statements are the plugin's own
 * create script for the dialect, read from its jar, so they always match the plugin's version.
 * Those scripts create their tables with {@code IF NOT EXISTS} but some indexes without it, so
 * each index statement is given {@code IF NOT EXISTS} (H2 2 and PostgreSQL ≥ 9.5 accept it):
 * running this twice, or on a database that already holds a journal, changes nothing.
 *
 * <p>Run it once, from one process (the launcher), before nodes start: two processes creating
 * the same tables at the same moment can still collide in PostgreSQL's catalog.
 */
public final class JournalSchema {
  private static final Pattern CREATE_INDEX = Pattern.compile(
      "^CREATE\\s+(UNIQUE\\s+)?INDEX\\s+(CONCURRENTLY\\s+)?(?!IF\\s+NOT\\s+EXISTS)", Pattern.CASE_INSENSITIVE);

  private JournalSchema() {}

  /** Creates whatever is missing in {@code db}; returns the number of statements run. */
  public static int createIfMissing(JournalDatabase db) throws SQLException {
    try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password())) {
      return createIfMissing(c, db.dialect());
    }
  }

  /** Creates whatever is missing through {@code connection}, in auto-commit mode (PostgreSQL's concurrent index builds need it). */
  public static int createIfMissing(Connection connection, Dialect dialect) throws SQLException {
    List<String> statements = statements(dialect);
    boolean autoCommit = connection.getAutoCommit();
    connection.setAutoCommit(true);
    try (Statement s = connection.createStatement()) {
      for (String sql : statements) {
        s.execute(sql);
      }
    } finally {
      connection.setAutoCommit(autoCommit);
    }
    return statements.size();
  }

  /** The dialect's create script from the plugin jar, one idempotent statement per element. */
  public static List<String> statements(Dialect dialect) {
    List<String> out = new ArrayList<>();
    for (String raw : script(dialect.createSchemaResource).split(";")) {
      String sql = stripComments(raw).strip();
      if (!sql.isEmpty()) {
        Matcher m = CREATE_INDEX.matcher(sql);
        out.add(m.lookingAt() ? m.replaceFirst("CREATE $1INDEX $2IF NOT EXISTS ") : sql);
      }
    }
    return out;
  }

  private static String script(String resource) {
    try (InputStream in = JournalSchema.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is missing: is pekko-persistence-jdbc on the class path?");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }

  private static String stripComments(String sql) {
    StringBuilder out = new StringBuilder();
    for (String line : sql.split("\n")) {
      if (!line.strip().startsWith("--")) {
        out.append(line).append('\n');
      }
    }
    return out.toString();
  }
}
