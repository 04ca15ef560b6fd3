package io.elaswave.app.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The report's charts, drawn by XChart and rendered as SVG text to inline in the page. */
final class ReportCharts {
  /** Events marked on a throughput chart: faults, recoveries, restarts, joins, re-plans. */
  static final Set<String> MARKED = Set.of("node-killed", "fault-injected", "recovered", "restarted", "node-joined",
      "replanned", "node-started", "clocks");
  private static final int WIDTH = 900;
  private static final int HEIGHT = 380;

  private ReportCharts() {}

  static String lossChart(List<RunSeries> runs, RunSeries reference) {
    XYChart c = xy("Training loss per step", "step", "loss");
    if (reference != null) {
      line(c, reference.name() + " (reference)", reference.lossByStep()).setLineStyle(new BasicStroke(3f))
          .setLineColor(Color.BLACK);
    }
    runs.forEach(r -> line(c, r.name(), r.lossByStep()));
    return svg(c);
  }

  static String deviationChart(List<RunSeries> runs, RunSeries reference) {
    XYChart c = xy("Loss deviation from the reference, |loss - reference loss|", "step", "deviation");
    Map<Long, Double> ref = reference.lossByStep();
    for (RunSeries r : runs) {
      List<Double> xs = new ArrayList<>();
      List<Double> ys = new ArrayList<>();
      r.lossByStep().forEach((step, loss) -> {
        if (ref.containsKey(step)) {
          xs.add((double) step);
          ys.add(Math.abs(loss - ref.get(step)));
        }
      });
      if (!xs.isEmpty()) {
        c.addSeries(r.name(), xs, ys).setMarker(SeriesMarkers.NONE);
      }
    }
    return svg(c);
  }

  /** Tokens/s against seconds since the first step, with the run's events marked. */
  static String throughputChart(RunSeries r) {
    XYChart c = xy("Throughput of " + r.name() + ", with its events", "seconds since the first step", "tokens/s");
    List<Double> xs = new ArrayList<>();
    List<Double> ys = new ArrayList<>();
    for (RunSeries.Step s : r.steps()) {
      xs.add(s.endSeconds());
      ys.add(s.tokensPerSec());
    }
    c.addSeries("tokens/s", xs, ys).setMarker(SeriesMarkers.CIRCLE);
    double top = ys.stream().mapToDouble(Double::doubleValue).max().orElse(1);
    int k = 0;
    for (RunSeries.Event e : r.events()) {
      if (MARKED.contains(e.name()) && !(e.name().equals("node-started") && e.atSeconds() == 0)) {
        c.addAnnotation(new AnnotationLine(e.atSeconds(), true, false));
        c.addAnnotation(new AnnotationText(e.name(), e.atSeconds(), top * (0.95 - 0.08 * (k++ % 4)), false));
      }
    }
    c.getStyler().setLegendVisible(false);
    return svg(c);
  }

  /** Modelled joules per token against step, for every run with energy figures; clock changes marked. */
  static String energyChart(List<RunSeries> runs) {
    XYChart c = xy("Energy per token (modelled from measured busy and idle time at each clock)", "step",
        "joules per token");
    for (RunSeries r : runs) {
      Map<Long, Double> byStep = new java.util.TreeMap<>();
      r.steps().stream().filter(s -> s.joulesPerToken() > 0).forEach(s -> byStep.put(s.step(), s.joulesPerToken()));
      if (!byStep.isEmpty()) {
        line(c, r.name(), byStep);
        r.events().stream().filter(e -> e.name().equals("clocks")).forEach(e -> c.addAnnotation(
            new AnnotationLine(e.step(), true, false))); // reported with the first step that ran under them
      }
    }
    return svg(c);
  }

  /** One stacked bar per recovery: detection, recovery, and the redo until training is back. */
  static String mttrChart(List<String> names, List<double[]> parts) {
    CategoryChart c = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
        .title("Recovery time, fault to training back (ms)").xAxisTitle("recovery").yAxisTitle("ms").build();
    c.getStyler().setStacked(true);
    c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
    String[] series = {"detect", "re-plan + transfer + verify (restart: restart)", "redo to the next commit"};
    for (int p = 0; p < series.length; p++) {
      List<Double> ys = new ArrayList<>();
      for (double[] part : parts) {
        ys.add(part[p]);
      }
      c.addSeries(series[p], names, ys);
    }
    return svg(c);
  }

  /** Measured throughput after the change over before, beside the theory, per policy. */
  static String policyChart(List<String> policies, List<Double> measured, List<Double> theory) {
    CategoryChart c = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
        .title("Throughput after the fault over before: measured and theory").xAxisTitle("policy")
        .yAxisTitle("after / before").build();
    c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
    c.addSeries("measured (median of repeats)", policies, measured);
    c.addSeries("theory", policies, theory);
    return svg(c);
  }

  private static XYChart xy(String title, String x, String y) {
    XYChart c = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(x).yAxisTitle(y).build();
    c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
    return c;
  }

  private static XYSeries line(XYChart c, String name, Map<Long, Double> byStep) {
    List<Double> xs = new ArrayList<>();
    List<Double> ys = new ArrayList<>();
    byStep.forEach((s, v) -> {
      xs.add((double) s);
      ys.add(v);
    });
    XYSeries series = c.addSeries(name, xs, ys);
    series.setMarker(SeriesMarkers.NONE);
    return series;
  }

  static String svg(Chart<?, ?> chart) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      VectorGraphicsEncoder.saveVectorGraphic(chart, out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot draw " + chart.getTitle() + ": " + e.getMessage(), e);
    }
    String text = out.toString(StandardCharsets.UTF_8);
    int start = text.indexOf("<svg");
    return start < 0 ? text : text.substring(start); // inline: no XML prolog or doctype
  }
}
