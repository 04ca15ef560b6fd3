package io.elaswave.app.demo;

import io.elaswave.app.Main;
import io.elaswave.app.RunEvent;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What the demo tells after it ran: MTTR, the join, throughput before the kill, after the
 * recovery and after the join, the loss; then the verdict against the failure-free reference run.
 */
final class DemoSummary {
  private record Phase(String name, long from, long to, int nodes) {}

  private final PrintWriter out;
  private final DemoScenario s;
  private final long[] reference;

  DemoSummary(PrintWriter out, DemoScenario scenario, long[] reference) {
    this.out = out;
    this.s = scenario;
    this.reference = reference;
  }

  void print(DemoRun run) {
    out.println("summary");
    if (run.recovered != null) {
      RunEvent.Recovered r = run.recovered;
      fact("MTTR", ms(r.mttrMillis()), "from the SIGKILL to training running again (detecting the death took "
          + ms(r.detectMillis()) + " of it)");
      fact("kill -> commit", ms(r.redoneMillis()), "from the SIGKILL to step " + r.step() + " committed; "
          + (r.abandonedStep() >= 1 ? "only step " + r.abandonedStep() + ", the one in flight, was redone"
              : "no step was redone"));
    } else {
      fact("MTTR", "-", "no recovery was reported");
    }
    if (run.joined != null) {
      fact("join", ms(run.joined.reconfigureMillis()), "to re-configure for " + unbracket(run.joined.nodes())
          + " at the start of step " + run.joinedStep + (Double.isNaN(run.startMillis) ? ""
              : " (its JVM took " + seconds((long) (run.startMillis * 1e6)) + " to start)"));
    } else {
      fact("join", "-", "no node joined");
    }
    throughput(run);
    if (!run.rows.isEmpty()) {
      DemoRun.Row first = run.rows.get(0);
      DemoRun.Row last = run.rows.get(run.rows.size() - 1);
      fact("loss", String.format(Locale.ROOT, "%.4f", last.loss()), String.format(Locale.ROOT,
          "at step %d, down from %.4f at step %d", last.step(), first.loss(), first.step()));
    }
    out.println();
    out.flush();
  }

  private void throughput(DemoRun run) {
    int nodes = DemoScenario.NODES;
    long kill = run.killStep > 0 ? run.killStep : s.killAt();
    long recovery = run.recoveredStep > 0 ? run.recoveredStep : kill;
    long join = run.joinedStep > 0 ? run.joinedStep : s.joinAt();
    int killedNodes = run.killed == null ? 0 : 1;
    int joinedNodes = run.joined == null ? 0 : 1;
    List<Phase> phases = List.of(new Phase("before the kill", 1, kill - 1, nodes),
        new Phase("after recovery", recovery + 1, join - 1, nodes - killedNodes),
        new Phase("after the join", join + 1, s.steps(), nodes - killedNodes + joinedNodes));
    fact("throughput", "tokens/s", "steps 1-" + s.warmup() + " (JIT warm-up)"
        + (run.faultSteps.isEmpty() ? "" : " and the steps that held a fault (" + stepList(run.faultSteps) + ")")
        + " do not count");
    double[] rates = new double[phases.size()];
    List<String> warming = new ArrayList<>();
    for (int i = 0; i < phases.size(); i++) {
      Phase p = phases.get(i);
      List<DemoRun.Row> rows = run.rows.stream().filter(r -> r.step() >= p.from() && r.step() <= p.to()
          && r.step() > s.warmup() && !run.faultSteps.contains(r.step())).toList();
      if (stillWarming(rows)) {
        warming.add(p.name());
      }
      rates[i] = rows.isEmpty() ? Double.NaN : rows.stream().mapToLong(DemoRun.Row::tokens).sum()
          / (rows.stream().mapToLong(DemoRun.Row::nanos).sum() / 1e9);
      String range = rows.isEmpty() ? "no steps"
          : rows.size() == 1 ? "step " + rows.get(0).step()
          : "steps " + rows.get(0).step() + "-" + rows.get(rows.size() - 1).step();
      String layout = rows.isEmpty() ? "" : rows.get(rows.size() - 1).layout();
      String vsBefore = i == 0 || Double.isNaN(rates[i]) || Double.isNaN(rates[0]) ? ""
          : String.format(Locale.ROOT, "  %.2f x before", rates[i] / rates[0]);
      out.printf(Locale.ROOT, "    %-16s %-12s %d nodes  %-18s %7s%s%n", p.name(), range, p.nodes(), layout,
          Double.isNaN(rates[i]) ? "-" : String.format(Locale.ROOT, "%,.0f", rates[i]), vsBefore);
    }
    boolean ratio = !Double.isNaN(rates[0]) && !Double.isNaN(rates[2]);
    fact("after/before", ratio ? String.format(Locale.ROOT, "%.2f", rates[2] / rates[0]) : "-",
        "throughput after the join / before the kill (" + (s.budgets().isEmpty()
            ? Runtime.getRuntime().availableProcessors() + " cores shared by the driver and the node JVMs: expect"
                + " noise)"
            : "emulated accelerators of " + s.budgets().describe() + ": figures of those, not of this machine)"));
    if (!warming.isEmpty()) {
      fact("note", "", "step times were still falling " + String.join(" and ", warming) + ": the node JVMs'"
          + " JIT compiles the kernels during their first steps (a joining node starts cold), which lowers those"
          + " figures; longer phases and a larger --warmup dilute it");
    }
  }

  /**
   * Whether the step times of a phase were still falling, the mark of JIT warm-up: the first
   * half of its steps took 1.5 times as long as the second half, or more.
   */
  static boolean stillWarming(List<DemoRun.Row> rows) {
    if (rows.size() < 2) {
      return false;
    }
    int half = rows.size() / 2;
    double early = rows.subList(0, half).stream().mapToLong(DemoRun.Row::nanos).average().orElse(0);
    double late = rows.subList(rows.size() - half, rows.size()).stream().mapToLong(DemoRun.Row::nanos).average()
        .orElse(0);
    return early >= 1.5 * late;
  }

  /** Prints the verdict; returns the exit status, telling {@code err} why when it is not 0. */
  int verdict(DemoRun run, PrintWriter err) {
    List<Long> mismatches = new ArrayList<>();
    for (DemoRun.Row r : run.rows) {
      if (r.step() < 1 || r.step() > reference.length || reference[(int) r.step() - 1] != r.digest()) {
        mismatches.add(r.step());
      }
    }
    String problem = null;
    if (!mismatches.isEmpty()) {
      out.printf(Locale.ROOT, "VERDICT: FAILED: %d of %d step digests differ from the failure-free reference run:"
          + " steps %s%n", mismatches.size(), run.rows.size(),
          mismatches.stream().map(String::valueOf).collect(Collectors.joining(", ")));
      problem = "digests differ from the reference";
    } else if (run.failure != null) {
      out.printf(Locale.ROOT, "VERDICT: FAILED: the run stopped during step %d (%s); the %d steps committed before"
          + " it equal the reference%n", run.failedStep, message(run.failure), run.rows.size());
      problem = "the run stopped during step " + run.failedStep;
    } else if (run.rows.size() != s.steps()) {
      out.printf(Locale.ROOT, "VERDICT: FAILED: %d of %d steps committed%n", run.rows.size(), s.steps());
      problem = "not every step committed";
    } else if (run.killed == null || run.recovered == null || run.joined == null) {
      String missing = run.killed == null ? "no node was killed"
          : run.recovered == null ? "no recovery was reported" : "no node joined";
      out.printf(Locale.ROOT, "VERDICT: INCONCLUSIVE: all %d step digests equal the failure-free reference run,"
          + " but %s%n", s.steps(), missing);
      problem = "the scenario did not play out: " + missing;
    } else {
      out.printf(Locale.ROOT, "VERDICT: all %d step digests equal the failure-free reference run (bitwise)%n",
          s.steps());
    }
    out.flush();
    if (problem == null) {
      return Main.EXIT_OK;
    }
    err.println("elaswave: demo kill-node failed: " + problem);
    err.flush();
    return Main.EXIT_FAILURE;
  }

  /** {@code   label           value  text}, the text wrapped under itself. */
  private void fact(String label, String value, String text) {
    String head = String.format(Locale.ROOT, "  %-14s %8s  ", label, value);
    List<String> lines = DemoTimeline.wrap(text, DemoTimeline.WIDTH - head.length());
    out.println(head + lines.get(0));
    lines.subList(1, lines.size()).forEach(l -> out.println(" ".repeat(head.length()) + l));
  }

  static String message(RuntimeException e) {
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }

  static String ms(double millis) {
    return Double.isNaN(millis) ? "?" : String.format(Locale.ROOT, "%.0f ms", millis);
  }

  static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.2fs", nanos / 1e9);
  }

  static String unbracket(Object nodes) {
    return String.valueOf(nodes).replaceAll("^\\[|]$", "");
  }

  /** {@code step 8} or {@code steps 8, 16}. */
  private static String stepList(TreeSet<Long> steps) {
    return (steps.size() == 1 ? "step " : "steps ") + steps.stream().map(String::valueOf)
        .collect(Collectors.joining(", "));
  }
}
