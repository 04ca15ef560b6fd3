package io.elaswave.app.tls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code train --tls auto}: a cluster CA made for one local run, with a certificate for each
 * process it starts, in a private temporary directory that goes when the run ends (Ctrl-C too).
 * Its CA key is dropped at once: nothing can be issued from it later.
 */
public final class ThrowawayCa implements AutoCloseable {
  private final Path dir;
  private final Thread cleanup;

  private ThrowawayCa(Path dir) {
    this.dir = dir;
    this.cleanup = new Thread(this::delete, "tls-cleanup");
    Runtime.getRuntime().addShutdownHook(cleanup);
  }

  /** A CA and a certificate for each of {@code names}. */
  public static ThrowawayCa create(List<String> names) {
    Path dir;
    try {
      dir = Files.createTempDirectory("elaswave-tls-",
          java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
              java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make a directory for --tls auto: " + e.getMessage(), e);
    }
    ThrowawayCa ca = new ThrowawayCa(dir);
    try {
      ClusterCa issuer = ClusterCa.openOrCreate(dir, "(throwaway)");
      for (String name : names) {
        issuer.issue(name);
      }
      Files.delete(dir.resolve(ClusterCa.CA_STORE));
      return ca;
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      ca.close();
      throw new IllegalStateException("cannot make the throwaway CA of --tls auto: " + e.getMessage(), e);
    }
  }

  public Path dir() {
    return dir;
  }

  @Override public void close() {
    delete();
    try {
      Runtime.getRuntime().removeShutdownHook(cleanup);
    } catch (IllegalStateException e) {
      // already shutting down: the hook runs delete, which is idempotent
    }
  }

  private void delete() {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      System.err.println("elaswave: could not remove " + dir + ": " + e.getMessage());
    }
  }
}
