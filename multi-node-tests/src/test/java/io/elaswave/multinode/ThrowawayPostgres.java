package io.elaswave.multinode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of a test's own, in a temporary directory, started and stopped with the
 * project's scripts ({@code persistence/scripts}), so a test can take it away mid-run without
 * touching the server other tests use. {@link #close()} stops it and deletes its directory.
 */
final class ThrowawayPostgres implements AutoCloseable {
  private static final Path SCRIPTS = Path.of("..", "persistence", "scripts").toAbsolutePath().normalize();

  private final Path dir;
  private final String url;
  private final String port;

  private ThrowawayPostgres(Path dir, String url, String port) {
    this.dir = dir;
    this.url = url;
    this.port = port;
  }

  /** True when PostgreSQL's server binaries are here, or can be installed (as root). */
  static boolean available() {
    try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
      return versions.anyMatch(v -> Files.isExecutable(v.resolve("bin/initdb")));
    } catch (IOException e) {
      return false;
    }
  }

  static ThrowawayPostgres start() throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("elaswave-pg-outage-");
    String out = run(dir, null, "start-postgres.sh");
    String line = out.lines().filter(l -> l.startsWith("export ELASWAVE_PG_URL=")).findFirst()
        .orElseThrow(() -> new IllegalStateException("start-postgres.sh printed no URL: " + out));
    String url = line.substring(line.indexOf('\'') + 1, line.lastIndexOf('\''));
    return new ThrowawayPostgres(dir, url, Files.readString(dir.resolve("port")).strip());
  }

  String url() {
    return url;
  }

  /** Stops the server (its clients are disconnected); the data stays for {@link #resume()}. */
  void stop() throws IOException, InterruptedException {
    run(dir, null, "stop-postgres.sh");
  }

  /** Starts the stopped server again, on the same port. */
  void resume() throws IOException, InterruptedException {
    run(dir, port, "start-postgres.sh");
  }

  @Override public void close() throws IOException, InterruptedException {
    try {
      stop();
    } finally {
      try (Stream<Path> all = Files.walk(dir)) {
        all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static String run(Path dir, String port, String script) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder("bash", SCRIPTS.resolve(script).toString()).redirectErrorStream(false);
    pb.environment().put("ELASWAVE_PG_DIR", dir.toString());
    if (port != null) {
      pb.environment().put("ELASWAVE_PG_PORT", port);
    }
    pb.redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve("script.log").toFile())); // the scripts talk on stderr
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IOException(script + " failed: " + Files.readString(dir.resolve("script.log")));
    }
    return out;
  }
}
