package io.elaswave.persistence.journal;

import java.util.Locale;
import java.util.Objects;

/**
 * A shared journal database: its JDBC URL and, when the URL does not carry them, the user and
 * password ({@code null} leaves them to the URL). The JDBC driver and the Slick profile follow
 * from the URL's scheme, so a URL alone names a usable database: {@link #of(String)}.
 */
public record JournalDatabase(String url, String user, String password) {

  /** The databases the journal runs on, with what pekko-persistence-jdbc needs to talk to each. */
  public enum Dialect {
    H2("jdbc:h2:", "org.h2.Driver", "slick.jdbc.H2Profile$", "schema/h2/h2-create-schema.sql"),
    POSTGRES("jdbc:postgresql:", "org.postgresql.Driver", "slick.jdbc.PostgresProfile$",
        "schema/postgres/postgres-create-schema.sql");

    final String urlPrefix;
    final String driver;
    final String profile;
    /** The create script shipped in the pekko-persistence-jdbc jar. */
    final String createSchemaResource;

    Dialect(String urlPrefix, String driver, String profile, String createSchemaResource) {
      this.urlPrefix = urlPrefix;
      this.driver = driver;
      this.profile = profile;
      this.createSchemaResource = createSchemaResource;
    }

    public String driver() {
      return driver;
    }

    public String profile() {
      return profile;
    }
  }

  public JournalDatabase {
    Objects.requireNonNull(url, "url");
    dialectOf(url); // fail here, with the URL in the message, rather than deep in Slick
  }

  /**
   * The database at {@code url}. PostgreSQL takes its credentials from the URL
   * ({@code ?user=…&password=…}). H2 is used as user {@code sa}, and its URL must keep identifiers
   * as written ({@code ;DATABASE_TO_UPPER=false}), because the plugin's H2 schema quotes lowercase
   * names.
   */
  public static JournalDatabase of(String url) {
    if (dialectOf(url) != Dialect.H2) {
      return new JournalDatabase(url, null, null);
    }
    if (!url.toUpperCase(Locale.ROOT).contains("DATABASE_TO_UPPER=FALSE")) {
      throw new IllegalArgumentException("H2 journal URL " + url + " needs ;DATABASE_TO_UPPER=false"
          + " (the journal's tables have quoted lowercase names)");
    }
    return new JournalDatabase(url, "sa", "");
  }

  public Dialect dialect() {
    return dialectOf(url);
  }

  private static Dialect dialectOf(String url) {
    for (Dialect d : Dialect.values()) {
      if (url.startsWith(d.urlPrefix)) {
        return d;
      }
    }
    throw new IllegalArgumentException("journal URL " + url + " is neither H2 (jdbc:h2:) nor PostgreSQL (jdbc:postgresql:)");
  }

  /** The URL without its query, for logs: PostgreSQL URLs may carry a password. */
  @Override public String toString() {
    int query = url.indexOf('?');
    return "JournalDatabase[" + (query < 0 ? url : url.substring(0, query) + "?…") + (user == null ? "" : ", user " + user) + "]";
  }
}
