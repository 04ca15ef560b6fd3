package io.elaswave.app.launch;

import java.io.IOException;
import java.util.OptionalLong;

/**
 * SIGSTOP and SIGCONT for one child process, as a hung host and its recovery: sockets stay open,
 * nothing answers. Remembers the freeze so that stopping the child can thaw it first (stopped,
 * it could not run the shutdown hooks SIGTERM asks for).
 */
final class Freezer {
  private final Process process;
  private volatile long frozenAtMillis;

  Freezer(Process process) {
    this.process = process;
  }

  /** SIGSTOP; the wall-clock instant just before the signal. */
  long freeze() throws IOException {
    if (!process.isAlive()) {
      throw new IllegalStateException("pid " + process.pid() + " has exited: nothing to freeze");
    }
    long at = System.currentTimeMillis();
    frozenAtMillis = at; // first, so that a concurrent stop thaws it whatever happens
    Ip.signal("STOP", process.pid());
    return at;
  }

  /** SIGCONT for a frozen child (nothing otherwise); the wall-clock instant just after. */
  long thaw() throws IOException {
    if (frozenAtMillis != 0 && process.isAlive()) {
      Ip.signal("CONT", process.pid());
    }
    frozenAtMillis = 0;
    return System.currentTimeMillis();
  }

  /** {@link #thaw()}, ignoring a failed signal: the SIGKILL after a stop's grace ends a stopped child anyway. */
  void thawQuietly() {
    try {
      thaw();
    } catch (IOException e) {
      // see above
    }
  }

  OptionalLong frozenAtMillis() {
    long at = frozenAtMillis;
    return at == 0 ? OptionalLong.empty() : OptionalLong.of(at);
  }
}
