package io.elaswave.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report from real metrics files (a reference run, a torchft run and a restart run on one
 * JVM, each losing rank r1) and a bench table: every chart is there, inline, and a real
 * headless browser (Debian's chromium, when installed: CI installs it) parses the page into them.
 */
class ReportCommandTest {
  private static final List<String> FIGURES = List.of("policies", "loss", "deviation", "throughput-torchft",
      "throughput-restart", "energy", "mttr");

  @TempDir static Path dir;
  private static Path html;

  @BeforeAll
  static void report() throws IOException {
    Path ref = dir.resolve("reference.jsonl");
    Path ft = dir.resolve("torchft.jsonl");
    Path restart = dir.resolve("restart.jsonl");
    Cli.ok("train", "--reference", "--model", "tiny", "--steps", "7", "--metrics", ref.toString());
    Cli.ok("train", "--model", "tiny", "--dp", "2", "--pp", "2", "--steps", "7", "--policy", "torchft",
        "--fault", "error:r1@4", "--metrics", ft.toString());
    Cli.ok("train", "--model", "tiny", "--dp", "2", "--pp", "2", "--steps", "7", "--policy", "restart",
        "--fault", "error:r1@6", "--checkpoint-dir", dir.resolve("ck").toString(), "--checkpoint-every", "4",
        "--metrics", restart.toString());
    PolicyScenario sc = new PolicyScenario("kill", 2, 4, 16, 30, 14, 0.2);
    Path bench = dir.resolve("policies.json");
    Files.writeString(bench, new PolicyTable(sc, "small", "0.2", List.of("elaswave", "torchft"), List.of(
        new PolicyOutcome("elaswave", 1, 1000, 870, 450, 0, 60, 0, 0, true, 0.01, "dp2xpp[4,3]@epoch2"),
        new PolicyOutcome("torchft", 1, 1000, 500, 480, 0, 70, 0.01, 0.02, false, 0.012, "dp1xpp4@epoch2")))
        .json());
    html = dir.resolve("out").resolve("report.html");
    Cli.ok("report", ft.toString(), restart.toString(), "--reference", ref.toString(), "--bench", bench.toString(),
        "--out", html.toString());
  }

  @Test
  void thePageHoldsEveryChartInlineAndNeedsNoNetwork() throws IOException {
    String page = Files.readString(html);
    for (String id : FIGURES) {
      assertTrue(page.contains("<figure id=\"" + id + "\"><svg"), "chart " + id);
    }
    assertEquals(FIGURES.size(), count(page, "<svg"));
    assertFalse(page.contains("src=\"http") || page.contains("href=\"http"), "nothing to fetch");
    assertTrue(page.contains("<td>torchft</td>"), "the bench table");
    assertTrue(page.contains("restarted"), "the restart is marked on its throughput chart");
  }

  @Test
  @org.junit.jupiter.api.Timeout(value = 120, unit = TimeUnit.SECONDS)
  void aRealHeadlessBrowserParsesThePageIntoItsCharts() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/chromium")), "chromium is not installed");
    Path profile = Files.createTempDirectory(dir, "chromium");
    Process p = new ProcessBuilder("/usr/bin/chromium", "--headless=new", "--no-sandbox", "--disable-gpu",
        "--user-data-dir=" + profile, "--dump-dom", html.toUri().toString()).redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    byte[] dom = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "chromium did not finish");
    String parsed = new String(dom, StandardCharsets.UTF_8);
    for (String id : FIGURES) {
      assertTrue(parsed.contains("id=\"" + id + "\""), "chart " + id + " in the browser's DOM");
    }
    assertEquals(FIGURES.size(), count(parsed, "<svg"), "every chart is an SVG element the browser built");
  }

  private static int count(String text, String what) {
    Matcher m = Pattern.compile(Pattern.quote(what)).matcher(text);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }
}
