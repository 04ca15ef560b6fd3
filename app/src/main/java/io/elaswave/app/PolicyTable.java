package io.elaswave.app;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The summary of {@code bench policies}: per policy the median over repeats of each figure, the
 * theory beside the measured ratio, and ElasWave's tokens/s after the change over the policy's,
 * each ratio taken within one repeat (the runs of a repeat are back to back), with its spread.
 */
final class PolicyTable {
  private final PolicyScenario sc;
  private final String model;
  private final String cpus;
  private final List<String> policies;
  private final List<PolicyOutcome> outcomes;

  PolicyTable(PolicyScenario sc, String model, String cpus, List<String> policies, List<PolicyOutcome> outcomes) {
    this.sc = sc;
    this.model = model;
    this.cpus = cpus;
    this.policies = List.copyOf(policies);
    this.outcomes = List.copyOf(outcomes);
  }

  /** One policy's figures, medians over repeats. */
  record Row(String policy, double theory, String formula, double afterOverBefore, double after, double afterMin,
      double afterMax, double[] elaswaveOver, double mttr, double redone, double stepsSeconds, double meanDev,
      double maxDev, boolean bitwise, double cpuPerToken) {
    double ratio() {
      return median(elaswaveOver);
    }

    double spread() {
      return elaswaveOver.length == 0 ? Double.NaN
          : (Arrays.stream(elaswaveOver).max().orElse(0) - Arrays.stream(elaswaveOver).min().orElse(0)) / ratio();
    }
  }

  List<Row> rows() {
    List<Row> rows = new ArrayList<>();
    for (String p : policies) {
      List<PolicyOutcome> mine = outcomes.stream().filter(o -> o.policy().equals(p)).toList();
      if (mine.isEmpty()) { // not run yet (the JSON is rewritten after every run)
        continue;
      }
      List<Double> ratios = new ArrayList<>();
      for (PolicyOutcome o : mine) {
        outcomes.stream().filter(e -> e.policy().equals("elaswave") && e.repeat() == o.repeat()).findFirst()
            .ifPresent(e -> ratios.add(e.tokensPerSecAfter() / o.tokensPerSecAfter()));
      }
      rows.add(new Row(p, sc.theory(p), sc.theoryFormula(p), med(mine, PolicyOutcome::afterOverBefore),
          med(mine, PolicyOutcome::tokensPerSecAfter),
          mine.stream().mapToDouble(PolicyOutcome::tokensPerSecAfter).min().orElse(Double.NaN),
          mine.stream().mapToDouble(PolicyOutcome::tokensPerSecAfter).max().orElse(Double.NaN),
          ratios.stream().mapToDouble(Double::doubleValue).toArray(), med(mine, PolicyOutcome::mttrMillis),
          med(mine, o -> o.stepsRedone()), med(mine, PolicyOutcome::stepsSeconds),
          med(mine, PolicyOutcome::meanLossDeviation), med(mine, PolicyOutcome::maxLossDeviation),
          mine.stream().allMatch(PolicyOutcome::bitwise), med(mine, PolicyOutcome::cpuSecondsPerToken)));
    }
    return rows;
  }

  String json() {
    StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "{\n  \"policies\": {\"scenario\": \"%s\","
        + " \"model\": \"%s\", \"emulated\": true, \"cpus\": %s, \"dp\": %d, \"pp\": %d, \"nodes\": %d,"
        + " \"microBatches\": %d, \"steps\": %d, \"faultAt\": %d, \"afterFrom\": %d, \"repeats\": %d,\n    \"summary\": [",
        sc.name(), model, cpus, sc.dp(), sc.pp(), sc.nodes(), sc.microBatches(), sc.steps(), sc.faultAt(),
        sc.afterFrom(), outcomes.stream().mapToInt(PolicyOutcome::repeat).max().orElse(0)));
    List<Row> rows = rows();
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      out.append(i == 0 ? "\n" : ",\n").append(String.format(Locale.ROOT, "      {\"policy\": \"%s\","
          + " \"theoryAfterOverBefore\": %.3f, \"theory\": \"%s\", \"afterOverBefore\": %.3f,"
          + " \"tokensPerSecAfter\": %.1f, \"tokensPerSecAfterMin\": %.1f, \"tokensPerSecAfterMax\": %.1f,"
          + " \"elaswaveOver\": %s, \"elaswaveOverTheory\": %.3f, \"elaswaveOverSpread\": %s, \"mttrMillis\": %s,"
          + " \"stepsRedone\": %.0f,"
          + " \"stepsSeconds\": %.2f, \"meanLossDeviation\": %.6g, \"maxLossDeviation\": %.6g, \"bitwise\": %s,"
          + " \"cpuSecondsPerToken\": %.3g}", r.policy(), r.theory(), r.formula(), r.afterOverBefore(), r.after(),
          r.afterMin(), r.afterMax(), num(r.ratio()), sc.theory("elaswave") / r.theory(), num(r.spread()),
          num(r.mttr()), r.redone(), r.stepsSeconds(),
          r.meanDev(), r.maxDev(), r.bitwise(), r.cpuPerToken()));
    }
    out.append("\n    ],\n    \"runs\": [");
    for (int i = 0; i < outcomes.size(); i++) {
      out.append(i == 0 ? "\n      " : ",\n      ").append(outcomes.get(i).json());
    }
    return out.append("\n    ]\n  }\n}\n").toString();
  }

  String markdown() {
    StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "Scenario `%s`: %s dp%d x pp%d on %d node JVMs"
        + " at %s cores each (emulated accelerators), G=%d, %d steps, fault at step %d on %s, \"after\" = median"
        + " over steps %d-%d; medians of %d repeats.%n%n", sc.name(), model, sc.dp(), sc.pp(), sc.nodes(), cpus,
        sc.microBatches(), sc.steps(), sc.faultAt(), PolicyScenario.VICTIM, sc.afterFrom(), sc.steps(),
        outcomes.stream().mapToInt(PolicyOutcome::repeat).max().orElse(0)));
    out.append("| policy | after/before: theory | measured | tokens/s after (min-max) | elaswave / policy: theory"
        + " | measured (spread) | MTTR ms | steps redone | steps took s | loss dev. mean / max | bitwise"
        + " | CPU-s per 1k tokens |\n");
    out.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (Row r : rows()) {
      out.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %.0f (%.0f-%.0f) | %.2f | %s | %s | %.0f | %.1f |"
          + " %.2g / %.2g | %s | %.2f |%n", r.policy(), r.theory(), r.afterOverBefore(), r.after(), r.afterMin(),
          r.afterMax(), sc.theory("elaswave") / r.theory(), r.policy().equals("elaswave") ? "1"
              : String.format(Locale.ROOT, "%.2f (%.0f%%)", r.ratio(), 100 * r.spread()), Double.isNaN(r.mttr()) ? "-" : String.format(Locale.ROOT, "%.0f", r.mttr()),
          r.redone(), r.stepsSeconds(), r.meanDev(), r.maxDev(), r.bitwise() ? "yes" : "no",
          1000 * r.cpuPerToken()));
    }
    return out.toString();
  }

  private static String num(double x) {
    return Double.isNaN(x) ? "null" : String.format(Locale.ROOT, "%.3f", x);
  }

  private static double med(List<PolicyOutcome> xs, ToDoubleFunction<PolicyOutcome> f) {
    return median(xs.stream().mapToDouble(f).filter(x -> !Double.isNaN(x)).toArray());
  }

  static double median(double[] xs) {
    if (xs.length == 0) {
      return Double.NaN;
    }
    double[] s = xs.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }
}
