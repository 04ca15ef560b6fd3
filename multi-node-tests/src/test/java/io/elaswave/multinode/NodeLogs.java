package io.elaswave.multinode;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** What the node JVMs of a scenario logged: counted, or waited for with a bounded poll. */
final class NodeLogs {
  private NodeLogs() {}

  /** Waits up to 30 s until some node's log holds {@code text}. */
  static void await(Path logs, String text) throws Exception {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (count(logs, text) == 0) {
      assertTrue(System.nanoTime() < until, "no node logged '" + text + "' in 30 s");
      Thread.sleep(100); // the poll's step
    }
  }

  /** How often {@code text} occurs in all node logs (read as bytes: a refused frame may be logged raw). */
  static long count(Path logs, String text) throws Exception {
    long n = 0;
    try (var files = Files.list(logs)) {
      for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".log")).toList()) {
        String all = Files.readString(f, StandardCharsets.ISO_8859_1);
        for (int i = all.indexOf(text); i >= 0; i = all.indexOf(text, i + 1)) {
          n++;
        }
      }
    }
    return n;
  }
}
