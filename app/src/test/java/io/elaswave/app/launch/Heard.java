package io.elaswave.app.launch;

import static java.util.concurrent.TimeUnit.NANOSECONDS;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;

/** An output listener for tests that can wait, bounded, for a line. */
final class Heard implements Consumer<String> {
  private final LinkedBlockingQueue<String> fresh = new LinkedBlockingQueue<>();
  private final List<String> seen = new ArrayList<>();

  @Override
  public void accept(String line) {
    fresh.add(line);
  }

  /** The first line starting with {@code prefix}; fails after {@code timeout}. */
  String await(String prefix, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (seen) {
      for (String line : seen) {
        if (line.startsWith(prefix)) {
          return line;
        }
      }
      while (true) {
        String line = fresh.poll(Math.max(0, deadline - System.nanoTime()), NANOSECONDS);
        if (line == null) {
          throw new AssertionError("no line starting with \"" + prefix + "\" in " + seen);
        }
        seen.add(line);
        if (line.startsWith(prefix)) {
          return line;
        }
      }
    }
  }
}
