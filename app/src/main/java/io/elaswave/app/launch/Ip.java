package io.elaswave.app.launch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs short system commands ({@code ip} of iproute2, {@code kill}) and fails with their own
 * words. Bounded: a wedged command is killed after ten seconds.
 */
final class Ip {
  private static final long TIMEOUT_SECONDS = 10;

  private Ip() {}

  /** {@code ip <args>}; returns its output. @throws IOException with the command and its stderr if it fails */
  static String run(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("ip"));
    command.addAll(List.of(args));
    return exec(command);
  }

  /** {@link #run}, ignoring failure: for cleanup, where the thing may already be gone. */
  static void runQuietly(String... args) {
    try {
      run(args);
    } catch (IOException e) {
      // already gone, or never made: either way nothing is left to remove
    }
  }

  /** Sends {@code signal} (e.g. {@code STOP}, {@code CONT}) to {@code pid} with {@code kill}. */
  static void signal(String signal, long pid) throws IOException {
    exec(List.of("kill", "-" + signal, Long.toString(pid)));
  }

  static String exec(List<String> command) throws IOException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(
        new java.io.File("/dev/null"))).start();
    String out;
    try (InputStream in = p.getInputStream()) {
      out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", command) + ": no answer within " + TIMEOUT_SECONDS + " s");
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException(String.join(" ", command) + ": interrupted", e);
    }
    if (p.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + " failed (exit " + p.exitValue() + "): " + out.trim());
    }
    return out;
  }
}
