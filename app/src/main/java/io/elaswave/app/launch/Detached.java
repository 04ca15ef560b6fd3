package io.elaswave.app.launch;

import java.io.File;
import java.io.IOException;

/**
 * What cleans up after a launcher whatever happens to it: a shell in its own session (Ctrl-C and
 * the launcher's death leave it running) that waits until the launcher's pid is gone, then runs
 * a script; and the test of a leftover's pid, for the sweep a new launcher makes of dead ones'
 * leftovers. Shared by the {@link NetworkLab}'s and the CPU budgets' watchdogs.
 */
final class Detached {
  private Detached() {}

  /** Starts {@code setsid sh -c} with a script that first waits for {@code pid} to vanish, then runs {@code then}. */
  static Process afterDeathOf(long pid, String then) throws IOException {
    String script = "while kill -0 " + pid + " 2>/dev/null; do sleep 0.5; done\n" + then;
    File nul = new File("/dev/null");
    return new ProcessBuilder("setsid", "sh", "-c", script).redirectInput(nul).redirectOutput(nul)
        .redirectError(nul).start();
  }

  /** Whether {@code pid}, found in a leftover's name, is a process that no longer runs (and not this one). */
  static boolean dead(long pid) {
    return pid > 0 && pid != ProcessHandle.current().pid() && ProcessHandle.of(pid).isEmpty();
  }

  /** {@code text} in single quotes for sh. */
  static String quote(String text) {
    return "'" + text.replace("'", "'\\''") + "'";
  }
}
