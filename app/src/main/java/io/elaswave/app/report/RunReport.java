package io.elaswave.app.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code elaswave report}: one self-contained HTML page (charts inline as SVG, no network needed)
 * from metrics files, optionally a reference run's and a {@code bench policies} JSON: loss per
 * step, loss deviation from the reference, throughput against time with the events marked, the
 * recovery-time breakdown, and the policies' table and chart.
 */
public final class RunReport {
  private final List<Path> metrics;
  private final Optional<Path> reference;
  private final Optional<Path> bench;

  public RunReport(List<Path> metrics, Optional<Path> reference, Optional<Path> bench) {
    if (metrics.isEmpty()) {
      throw new IllegalArgumentException("the report needs at least one metrics file");
    }
    this.metrics = List.copyOf(metrics);
    this.reference = reference;
    this.bench = bench;
  }

  /** Reads everything (any unreadable file is an IOException naming it), draws and writes {@code out}. */
  public void write(Path out) throws IOException {
    System.setProperty("java.awt.headless", "true");
    List<RunSeries> runs = new ArrayList<>();
    for (Path m : metrics) {
      runs.add(RunSeries.read(m));
    }
    RunSeries ref = reference.isPresent() ? RunSeries.read(reference.get()) : null;
    JsonNode policies = bench.isPresent() ? readBench(bench.get()) : null;
    StringBuilder html = new StringBuilder("""
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>elaswave report</title>
        <style>body{font-family:sans-serif;max-width:960px;margin:2em auto;color:#222}
        table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #bbb;padding:3px 6px;text-align:right}
        th{background:#eee}td:first-child{text-align:left}figure{margin:1.5em 0}.note{color:#555;font-size:13px}
        </style></head><body>
        <h1>elaswave report</h1>
        """);
    html.append("<p class=\"note\">Made ").append(Instant.now()).append(" from ")
        .append(escape(String.join(", ", metrics.stream().map(p -> p.getFileName().toString()).toList())))
        .append(ref != null ? " against the reference " + escape(reference.get().getFileName().toString()) : "")
        .append(". Throughput on emulated accelerators (node JVMs in CPU control groups) is emulated, not a GPU's.</p>\n");
    if (policies != null) {
      policySection(html, policies);
    }
    figure(html, "loss", ReportCharts.lossChart(runs, ref));
    if (ref != null) {
      figure(html, "deviation", ReportCharts.deviationChart(runs, ref));
    }
    html.append("<h2>Throughput against time</h2>\n");
    for (RunSeries r : runs) {
      figure(html, "throughput-" + r.name(), ReportCharts.throughputChart(r), marks(r));
    }
    if (runs.stream().anyMatch(RunSeries::hasEnergy)) {
      html.append("<h2>Energy</h2>\n<p class=\"note\">Per step: every working rank's device draws static power for"
          + " the step's wall time and dynamic power (proportional to clock cubed) while its kernels run, at its"
          + " node's clock (elaswave.energy.*). On emulated accelerators these joules are modelled from measured busy"
          + " and idle time, not metered. Vertical lines: clocks set by the frequency governor.</p>\n");
      figure(html, "energy", ReportCharts.energyChart(runs));
    }
    mttrSection(html, runs);
    html.append("</body></html>\n");
    if (out.getParent() != null) {
      Files.createDirectories(out.getParent());
    }
    Files.writeString(out, html, StandardCharsets.UTF_8);
  }

  private static JsonNode readBench(Path file) throws IOException {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(file.toFile());
    } catch (IOException e) {
      throw new IOException(file + " is not JSON: " + e.getMessage(), e);
    }
    JsonNode p = root == null ? null : root.get("policies");
    if (p == null || !p.path("summary").isArray()) {
      throw new IOException(file + " is not a bench policies result (no policies.summary)");
    }
    return p;
  }

  private static void policySection(StringBuilder html, JsonNode p) {
    html.append(String.format(Locale.ROOT, "<h2>Recovery policies, scenario %s</h2>%n<p>%s dp%d x pp%d on %d node"
        + " JVMs at %s cores each (emulated), G=%d, %d steps, fault at step %d; after = median over steps %d-%d;"
        + " medians over %d repeats; ratios taken within a repeat.</p>%n", escape(p.path("scenario").asText()),
        escape(p.path("model").asText()), p.path("dp").asInt(), p.path("pp").asInt(), p.path("nodes").asInt(),
        p.path("cpus").asText(), p.path("microBatches").asInt(), p.path("steps").asInt(), p.path("faultAt").asInt(),
        p.path("afterFrom").asInt(), p.path("steps").asInt(), p.path("repeats").asInt()));
    html.append("<table><tr><th>policy</th><th>after/before theory</th><th>measured</th><th>tokens/s after</th>"
        + "<th>elaswave / policy: theory</th><th>measured</th><th>spread</th><th>MTTR ms</th><th>steps redone</th><th>steps took s</th>"
        + "<th>loss dev. mean</th><th>max</th><th>bitwise</th><th>CPU-s / 1k tokens</th></tr>\n");
    List<String> names = new ArrayList<>();
    List<Double> measured = new ArrayList<>();
    List<Double> theory = new ArrayList<>();
    for (JsonNode r : p.get("summary")) {
      names.add(r.path("policy").asText());
      measured.add(r.path("afterOverBefore").asDouble());
      theory.add(r.path("theoryAfterOverBefore").asDouble());
      html.append(String.format(Locale.ROOT, "<tr><td>%s</td><td title=\"%s\">%.2f</td><td>%.2f</td><td>%.0f</td>"
          + "<td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%.0f</td><td>%.1f</td><td>%.2g</td><td>%.2g</td><td>%s</td>"
          + "<td>%.2f</td></tr>%n", escape(r.path("policy").asText()), escape(r.path("theory").asText()),
          r.path("theoryAfterOverBefore").asDouble(), r.path("afterOverBefore").asDouble(),
          r.path("tokensPerSecAfter").asDouble(), num(r.path("elaswaveOverTheory"), "%.2f"),
          num(r.path("elaswaveOver"), "%.2f"),
          num(r.path("elaswaveOverSpread"), "%.0f%%", 100), num(r.path("mttrMillis"), "%.0f"),
          r.path("stepsRedone").asDouble(), r.path("stepsSeconds").asDouble(), r.path("meanLossDeviation").asDouble(),
          r.path("maxLossDeviation").asDouble(), r.path("bitwise").asBoolean() ? "yes" : "no",
          1000 * r.path("cpuSecondsPerToken").asDouble()));
    }
    html.append("</table>\n");
    figure(html, "policies", ReportCharts.policyChart(names, measured, theory));
  }

  private static void mttrSection(StringBuilder html, List<RunSeries> runs) {
    List<String> names = new ArrayList<>();
    List<double[]> parts = new ArrayList<>();
    for (RunSeries r : runs) {
      int k = 0;
      for (RunSeries.Event e : r.events()) {
        JsonNode f = e.fields();
        if (e.name().equals("recovered")) {
          double detect = f.path("detectMillis").asDouble();
          double mttr = f.path("mttrMillis").asDouble();
          parts.add(new double[] {detect, mttr - detect, Math.max(0, f.path("redoneMillis").asDouble() - mttr)});
          names.add(r.name() + " #" + ++k);
        } else if (e.name().equals("restarted")) {
          double detect = f.path("detectMillis").asDouble();
          double mttr = f.path("mttrMillis").asDouble();
          parts.add(new double[] {detect, mttr - detect, redoMillis(r, e)});
          names.add(r.name() + " #" + ++k);
        }
      }
    }
    if (!names.isEmpty()) {
      html.append("<h2>Recovery time</h2>\n<p class=\"note\">Detect: fault to the scheduler acting. Then the"
          + " re-plan, the transfers and their digest check until the ranks run again (for restart: the job started"
          + " again and its checkpoint loaded). Redo: for a live recovery, the abandoned step run again; for restart,"
          + " every step since the checkpoint.</p>\n");
      figure(html, "mttr", ReportCharts.mttrChart(names, parts));
    }
  }

  /** Milliseconds of the steps a restart ran a second time: those committed after it, up to where it stopped. */
  private static double redoMillis(RunSeries r, RunSeries.Event restart) {
    long last = restart.fields().path("fromStep").asLong() + restart.fields().path("stepsRedone").asLong();
    return 1000 * r.steps().stream().filter(s -> s.endSeconds() > restart.atSeconds() && s.step() <= last)
        .mapToDouble(RunSeries.Step::seconds).sum();
  }

  private static void figure(StringBuilder html, String id, String svg) {
    figure(html, id, svg, "");
  }

  private static void figure(StringBuilder html, String id, String svg, String caption) {
    html.append("<figure id=\"").append(id).append("\">").append(svg);
    if (!caption.isEmpty()) {
      html.append("<figcaption class=\"note\">").append(escape(caption)).append("</figcaption>");
    }
    html.append("</figure>\n");
  }

  /** The events a throughput chart marks, in words (the chart's text is drawn as shapes). */
  private static String marks(RunSeries r) {
    List<String> out = new ArrayList<>();
    for (RunSeries.Event e : r.events()) {
      if (ReportCharts.MARKED.contains(e.name()) && !(e.name().equals("node-started") && e.atSeconds() == 0)) {
        out.add(String.format(Locale.ROOT, "%s at %.1f s (step %d)", e.name(), e.atSeconds(), e.step()));
      }
    }
    return out.isEmpty() ? "" : "Marked: " + String.join("; ", out) + ".";
  }

  private static String num(JsonNode n, String format) {
    return num(n, format, 1);
  }

  private static String num(JsonNode n, String format, double scale) {
    return n == null || n.isNull() || n.isMissingNode() ? "-" : String.format(Locale.ROOT, format, scale * n.asDouble());
  }

  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
