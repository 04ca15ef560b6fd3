package io.elaswave.app;

import io.elaswave.protocol.runtime.DriverMessage.RankBusy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The figures of {@code bench frequency}: one job whose frequency mode alternates off, energy,
 * power-cap in phases of equal length, repeated; each phase measured over its last steps (the
 * first ones still run under the previous clocks), and each mode compared with the off phase of
 * its own repeat, run just before it on the same warm JVMs. Pure: reads a {@link BudgetedRun}.
 */
final class FrequencyPhases {
  /** The modes of one repeat, in the order they run. */
  static final List<String> MODES = List.of("off", "energy", "power-cap");

  /** One phase's figures (joules and watts modelled from measured busy and wall time). */
  record Phase(int repeat, String mode, int from, int to, double tokensPerSec, double stepMillis,
      double joulesPerToken, double watts, Map<Integer, Double> bubbleByStage, String clocks, boolean bitwise) {}

  /** A mode against off over the repeats: mean, least and most of each ratio. */
  record Ratio(double mean, double min, double max) {
    static Ratio of(List<Double> xs) {
      if (xs.stream().anyMatch(x -> !Double.isFinite(x))) {
        throw new IllegalStateException("a phase measured nothing (a ratio of " + xs + ")");
      }
      return new Ratio(xs.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN),
          xs.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN),
          xs.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN));
    }

    /** (max − min) / mean. */
    double spread() {
      return (max - min) / mean;
    }
  }

  private FrequencyPhases() {}

  /** Which phase step {@code step} (1-based) is in: -1 during warm-up, else repeat × 3 + mode index. */
  static int phaseOf(long step, int warmup, int phaseSteps) {
    return step <= warmup ? -1 : (int) ((step - warmup - 1) / phaseSteps);
  }

  /** The phases of {@code r}, each over its last {@code phaseSteps - skip} steps. */
  static List<Phase> phases(BudgetedRun r, int warmup, int phaseSteps, int repeats, int skip, List<Long> reference) {
    List<Phase> out = new ArrayList<>();
    for (int p = 0; p < repeats * MODES.size(); p++) {
      int first = warmup + p * phaseSteps + 1;
      int from = first + skip;
      int to = first + phaseSteps - 1;
      double energy = 0;
      double tokens = 0;
      double stepSeconds = 0;
      boolean bitwise = true;
      Map<Integer, List<Double>> bubbles = new TreeMap<>();
      for (int s = from; s <= to; s++) {
        double stepMillis = r.phases.get(s).step();
        energy += r.energyJoules.get(s);
        tokens += r.tokens.get(s);
        stepSeconds += stepMillis / 1e3;
        for (RankBusy b : r.busy.get(s)) {
          bubbles.computeIfAbsent(b.stage(), k -> new ArrayList<>()).add(Math.max(0, 1 - b.busyMillis() / stepMillis));
        }
      }
      for (int s = first; s <= to; s++) {
        bitwise &= r.digests.get(s).equals(reference.get(s - 1));
      }
      Map<Integer, Double> bubbleByStage = new TreeMap<>();
      bubbles.forEach((stage, xs) -> bubbleByStage.put(stage, median(xs)));
      out.add(new Phase(p / MODES.size() + 1, MODES.get(p % MODES.size()), from, to, r.tokensPerSecond(from, to),
          r.phaseMillis(from, to, io.elaswave.protocol.runtime.DriverMessage.StepPhases::step), energy / tokens,
          energy / stepSeconds, bubbleByStage, clocksBefore(r, to), bitwise));
    }
    return out;
  }

  /** The last clocks event reported at or before step {@code step}, or "nominal". */
  private static String clocksBefore(BudgetedRun r, int step) {
    String clocks = "nominal";
    for (var e : r.events.entrySet()) {
      if (e.getKey() > step) {
        break;
      }
      for (RunEvent ev : e.getValue()) {
        if (ev instanceof RunEvent.Clocks c) {
          clocks = c.mode() + ": " + c.clocks();
        }
      }
    }
    return clocks;
  }

  /** {@code mode}'s figure over the off phase of the same repeat, for every repeat. */
  static Ratio against(List<Phase> phases, String mode, java.util.function.ToDoubleFunction<Phase> figure) {
    List<Double> xs = new ArrayList<>();
    for (Phase p : phases) {
      if (p.mode().equals(mode)) {
        Phase off = phases.stream().filter(q -> q.repeat() == p.repeat() && q.mode().equals("off")).findFirst()
            .orElseThrow();
        xs.add(figure.applyAsDouble(p) / figure.applyAsDouble(off));
      }
    }
    return Ratio.of(xs);
  }

  /** The JSON of the phases and the summary. */
  static String json(String head, List<Phase> phases, boolean bitwise) {
    StringBuilder s = new StringBuilder("{\n  \"frequency\": {").append(head).append(", \"bitwise\": ")
        .append(bitwise).append(",\n    \"summary\": [\n");
    List<String> rows = new ArrayList<>();
    for (String mode : List.of("energy", "power-cap")) {
      Ratio tput = against(phases, mode, Phase::tokensPerSec);
      Ratio jpt = against(phases, mode, Phase::joulesPerToken);
      Ratio watts = against(phases, mode, Phase::watts);
      rows.add(String.format(Locale.ROOT, "      {\"mode\": \"%s\", \"throughputOverOff\": %.3f,"
          + " \"throughputOverOffMin\": %.3f, \"throughputOverOffMax\": %.3f, \"throughputSpread\": %.3f,"
          + " \"joulesPerTokenOverOff\": %.3f, \"joulesPerTokenOverOffMin\": %.3f, \"joulesPerTokenOverOffMax\": %.3f,"
          + " \"joulesPerTokenSpread\": %.3f, \"wattsOverOff\": %.3f, \"wattsOverOffMax\": %.3f}", mode, tput.mean(),
          tput.min(), tput.max(), tput.spread(), jpt.mean(), jpt.min(), jpt.max(), jpt.spread(), watts.mean(),
          watts.max()));
    }
    s.append(String.join(",\n", rows)).append("\n    ],\n    \"phases\": [\n");
    rows.clear();
    for (Phase p : phases) {
      rows.add(String.format(Locale.ROOT, "      {\"repeat\": %d, \"mode\": \"%s\", \"steps\": [%d, %d],"
          + " \"tokensPerSec\": %.1f, \"stepMillis\": %.1f, \"joulesPerToken\": %.5f, \"watts\": %.1f,"
          + " \"bubbleByStage\": %s, \"clocks\": \"%s\", \"bitwise\": %s}", p.repeat(), p.mode(), p.from(), p.to(),
          p.tokensPerSec(), p.stepMillis(), p.joulesPerToken(), p.watts(), bubbles(p), p.clocks(), p.bitwise()));
    }
    return s.append(String.join(",\n", rows)).append("\n    ]\n  }\n}\n").toString();
  }

  /** The Markdown table: one row per mode, ratios to off with their spread over the repeats. */
  static String markdown(List<Phase> phases) {
    StringBuilder s = new StringBuilder("| mode | tokens/s / off | joules/token / off | mean power / off |"
        + " bubble share by stage (last round) |\n|---|---|---|---|---|\n");
    for (String mode : MODES) {
      Ratio tput = against(phases, mode, Phase::tokensPerSec);
      Ratio jpt = against(phases, mode, Phase::joulesPerToken);
      Ratio watts = against(phases, mode, Phase::watts);
      Phase last = phases.stream().filter(p -> p.mode().equals(mode)).reduce((a, b) -> b).orElseThrow();
      s.append(String.format(Locale.ROOT, "| %s | %.3f (%.3f–%.3f) | %.3f (%.3f–%.3f) | %.3f (%.3f–%.3f) | %s |%n",
          mode, tput.mean(), tput.min(), tput.max(), jpt.mean(), jpt.min(), jpt.max(), watts.mean(), watts.min(),
          watts.max(), bubbles(last)));
    }
    return s.toString();
  }

  private static String bubbles(Phase p) {
    List<String> parts = new ArrayList<>();
    p.bubbleByStage().forEach((stage, b) -> parts.add(String.format(Locale.ROOT, "\"%d\": %.3f", stage, b)));
    return "{" + String.join(", ", parts) + "}";
  }

  private static double median(List<Double> xs) {
    double[] a = xs.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(a);
    int n = a.length;
    return n == 0 ? Double.NaN : n % 2 == 1 ? a[n / 2] : (a[n / 2 - 1] + a[n / 2]) / 2;
  }
}
