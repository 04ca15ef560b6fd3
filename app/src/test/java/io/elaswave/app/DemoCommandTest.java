package io.elaswave.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The narrated demo: end to end on 4 node JVMs (one SIGKILLed, one more joining), and its pieces. */
class DemoCommandTest {
  private static final Pattern LOGS = Pattern.compile("log (\\S+)[/\\\\]node-0\\.log");

  @Test
  @Tag("multijvm")
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void killANodeThenJoinOneAndMatchTheReference(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws IOException {
    java.nio.file.Path report = dir.resolve("demo.html");
    Cli.Result r = Cli.run("demo", "kill-node", "--steps", "10", "--kill-at", "4", "--join-at", "7", "--report",
        report.toString());
    String out = r.out();
    String context = out + "\n--- stderr ---\n" + r.err();
    assertEquals(0, r.status(), context);
    assertTrue(out.contains("VERDICT: all 10 step digests equal the failure-free reference run (bitwise)"), context);

    List<String> steps = out.lines().filter(l -> l.matches(" *\\+\\d+\\.\\d\\ds  step +\\d+  loss .*")).toList();
    assertEquals(10, steps.size(), context);
    assertTrue(steps.stream().noneMatch(l -> l.endsWith("\u2717") || l.endsWith("XX")), context);

    assertTimeline(out, "\\+\\d+\\.\\d\\ds  >> node-2 killed \\(SIGKILL, pid \\d+\\) during step 4", context);
    assertTimeline(out, "\\+\\d+\\.\\d\\ds  >> recovered: running as \\S+@epoch2, MTTR \\d+ ms \\(detect \\d+ ms\\)",
        context);
    assertTimeline(out, "\\+\\d+\\.\\d\\ds  >> node-4 joined: running as \\S+@epoch3", context);
    assertTimeline(out, "  MTTR +\\d+ ms  from the SIGKILL to training running again", context);
    // the kill lands during step 4; when node-2 had already done its part of step 4, the
    // death is noticed in step 5 and that one is redone: either way one step, bitwise
    assertTimeline(out, "  kill -> commit +\\d+ ms  from the SIGKILL to step [45] committed", context);
    assertTimeline(out, "    after the join +steps? \\S+ +4 nodes .*", context);
    assertTimeline(out, "report: \\S+demo\\.html", context);
    String page = java.nio.file.Files.readString(report);
    assertTrue(page.contains("<figure id=\"deviation\"><svg") && page.contains("<figure id=\"mttr\"><svg"), "report");

    deleteNodeLogs(out); // kept when the test fails, for whoever reads the failure
  }

  @Test
  void rejectsAnImpossibleScriptBeforeStartingAnything() {
    for (String[] args : List.of(new String[] {"--kill-at", "0"}, new String[] {"--kill-at", "24"},
        new String[] {"--join-at", "8"}, new String[] {"--join-at", "25"}, new String[] {"--steps", "1"},
        new String[] {"--model", "base"}, new String[] {"--warmup", "-1"}, new String[] {"--fault", "boom"},
        new String[] {"--fault", "hang:r9@3"}, new String[] {"--fault", "error:r1@30"},
        new String[] {"--fault", "kill:node-7@3"})) {
      String[] full = Stream.concat(Stream.of("demo", "kill-node"), Stream.of(args)).toArray(String[]::new);
      Cli.Result r = Cli.run(full);
      assertEquals(2, r.status(), String.join(" ", args) + ": " + r.err());
      assertTrue(r.err().startsWith("elaswave: " + args[0]), r.err());
      assertEquals("", r.out(), "nothing runs");
    }
  }

  private static void assertTimeline(String out, String regex, String context) {
    assertTrue(Pattern.compile("(?m)^ *" + regex).matcher(out).find(), "no line like /" + regex + "/ in:\n" + context);
  }

  /** The demo logs to runs/<time>/ under the working directory; remove this run's directory. */
  private static void deleteNodeLogs(String out) throws IOException {
    Matcher m = LOGS.matcher(out);
    if (!m.find()) {
      return;
    }
    Path dir = Path.of(m.group(1));
    if (Files.isDirectory(dir)) {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
    Path root = dir.getParent();
    if (root != null && Files.isDirectory(root)) {
      try (Stream<Path> left = Files.list(root)) {
        if (left.findAny().isEmpty()) {
          Files.deleteIfExists(root);
        }
      }
    }
  }
}
