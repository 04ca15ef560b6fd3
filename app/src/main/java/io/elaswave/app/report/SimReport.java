package io.elaswave.app.report;

import io.elaswave.sim.SimResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * {@code elaswave simulate --report}: one HTML file, the ETTR of each policy day by day (drawn by
 * XChart, inlined as SVG) above the table of the results. Every figure is simulated, from the
 * assumptions the page lists.
 */
public final class SimReport {
  private SimReport() {}

  public static String html(List<SimResult> results, String assumptions) {
    XYChart c = new XYChartBuilder().width(900).height(380).title("ETTR so far, by simulated day")
        .xAxisTitle("day").yAxisTitle("ETTR").build();
    c.getStyler().setLegendPosition(Styler.LegendPosition.InsideSW);
    for (SimResult r : results) {
      List<Double> xs = new ArrayList<>();
      for (int d = 1; d <= r.days().size(); d++) {
        xs.add((double) d);
      }
      if (!xs.isEmpty()) {
        XYSeries s = c.addSeries(r.policy(), xs, r.days());
        s.setMarker(SeriesMarkers.NONE);
      }
    }
    StringBuilder html = new StringBuilder("""
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>elaswave simulation</title>
        <style>body{font-family:sans-serif;max-width:960px;margin:2em auto;color:#222}
        table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3em .6em;text-align:right}
        th:first-child,td:first-child{text-align:left}</style></head><body>
        <h1>elaswave simulation (simulated, not measured)</h1>
        """);
    SimResult first = results.get(0);
    html.append(String.format(Locale.ROOT, "<p>%s on %,d accelerators as dp%d × pp%d, %d micro-batches a step, %.0f"
        + " simulated days, seed %d. %s</p>%n", RunReport.escape(first.model()), first.accelerators(), first.dp(),
        first.pp(), first.microBatches(), first.simulatedDays(), first.seed(), RunReport.escape(assumptions)));
    if (!first.days().isEmpty()) {
      html.append("<figure id=\"ettr\">").append(ReportCharts.svg(c)).append("</figure>\n");
    }
    html.append("<table><tr><th>policy</th><th>ETTR</th><th>failures</th><th>MTTR p50 s</th><th>MTTR p99 s</th>"
        + "<th>steps redone</th><th>short-batch steps</th><th>degraded h</th><th>down h</th><th>planner p50 ms</th><th>planner p99 ms</th>"
        + "</tr>\n");
    for (SimResult r : results) {
      html.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%.4f</td><td>%d</td><td>%.2f</td><td>%.2f</td>"
          + "<td>%.1f</td><td>%d</td><td>%.1f</td><td>%.1f</td><td>%.1f</td><td>%.1f</td></tr>%n",
          RunReport.escape(r.policy()), r.ettr(), r.failures(), r.mttr().p50(), r.mttr().p99(), r.stepsRedone(),
          r.shortBatchSteps(), r.degradedSeconds() / 3600,
          r.downSeconds() / 3600, r.plannerMillis().p50(), r.plannerMillis().p99()));
    }
    return html.append("</table>\n</body></html>\n").toString();
  }
}
