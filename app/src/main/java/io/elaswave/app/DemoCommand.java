package io.elaswave.app;

import io.elaswave.engine.data.Corpus;
import io.elaswave.engine.model.Model;
import io.elaswave.engine.param.Digest;
import io.elaswave.engine.train.StepResult;
import io.elaswave.engine.train.TrainConfig;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code elaswave demo}: narrated demonstrations of the runtime on this machine. */
@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = "Narrated demonstrations of the runtime on this machine.",
    subcommands = {DemoCommand.KillNode.class})
final class DemoCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Override public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return Main.EXIT_USAGE;
  }

  /**
   * {@code elaswave demo kill-node}: four node JVMs train dp2 × pp2; node-2 is SIGKILLed during a
   * step, the job recovers on three; later a fresh node joins. Prints a timeline, the MTTR,
   * throughput before, between and after, and checks every step's digest against a failure-free
   * run of the reference trainer.
   */
  @Command(name = "kill-node", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
      sortOptions = false,
      description = {"Four node JVMs train dp2 x pp2; node-2 is SIGKILLed during a step and the",
          "job carries on with three; later a fresh node joins. Prints a timeline, the",
          "MTTR, throughput before and after, and checks every step's digest against a",
          "failure-free run of the reference trainer."},
      footer = {"", "Node logs go to runs/<time>/node-<i>.log.",
          "Exit status: 0 every digest equal to the reference, 1 a mismatch or a failed run, 2 bad input."})
  static final class KillNode implements Callable<Integer> {
    static final int NODES = 4;
    static final int DP = 2;
    static final int PP = 2;
    static final String VICTIM = "node-2";

    @Spec private CommandSpec spec;

    @Option(names = "--model", paramLabel = "NAME", description = "Model preset: tiny or small (default: tiny).")
    private String model = "tiny";

    @Option(names = "--steps", paramLabel = "N", description = "Train steps 1..N (default: 24).")
    private int steps = 24;

    @Option(names = "--kill-at", paramLabel = "S", description = "SIGKILL " + VICTIM + " during step S (default: 8).")
    private int killAt = 8;

    @Option(names = "--join-at", paramLabel = "J",
        description = "A new node JVM joins at the start of step J (default: 16).")
    private int joinAt = 16;

    @Option(names = "--warmup", paramLabel = "W",
        description = "Leave steps 1..W out of the throughput figures: the node JVMs' JIT is still compiling"
            + " (default: 2).")
    private int warmup = 2;

    private final String ok = symbol("\u2713", "ok");
    private final String bad = symbol("\u2717", "XX");
    /** The failure-free run's digests: step k at index k - 1. */
    private long[] reference = new long[0];

    @Override public Integer call() {
      validate();
      PrintWriter out = spec.commandLine().getOut();
      TrainConfig config = TrainConfig.defaults(model).withSteps(steps);
      Corpus corpus = Corpus.tinyShakespeare();
      Model m = new Model(config.modelConfig(corpus.vocab().size()));
      narrate(out, config, m);
      reference = reference(out, config, corpus);
      Run run = new Run(out);
      run.go(config, corpus);
      summary(out, run);
      return verdict(out, run);
    }

    private void validate() {
      if (!model.equals("tiny") && !model.equals("small")) {
        throw flagError("--model must be tiny or small, got '" + model + "'");
      }
      if (steps < 2) {
        throw flagError("--steps must be >= 2, got " + steps);
      }
      if (killAt < 1 || killAt >= steps) {
        throw flagError("--kill-at must be in 1.." + (steps - 1) + " (before the last step), got " + killAt);
      }
      if (warmup < 0) {
        throw flagError("--warmup must be >= 0, got " + warmup);
      }
      if (joinAt <= killAt || joinAt > steps) {
        throw flagError("--join-at must be after --kill-at " + killAt + " and at most --steps " + steps + ", got "
            + joinAt);
      }
    }

    private ParameterException flagError(String message) {
      return new ParameterException(spec.commandLine(), message);
    }

    private void narrate(PrintWriter out, TrainConfig config, Model m) {
      int seqLen = m.config().seqLen();
      out.println("elaswave demo kill-node: lose a node in the middle of a step, gain one later, and stay");
      out.println("bitwise on the course of a run that never failed.");
      out.println();
      List<String> plan = List.of(
          String.format(Locale.ROOT, "%d node JVMs start on this machine (127.0.0.1) and train model %s (%,d"
              + " parameters, %d tokens a step) for %d steps on dp%d x pp%d = %d ranks, one rank per node: %d"
              + " data-parallel replicas, each a %d-stage pipeline, with ZeRO-1 optimizer shards.", NODES, model,
              m.paramCount(), config.tokensPerStep(seqLen), steps, DP, PP, DP * PP, DP, PP),
          "During step " + killAt + ", " + VICTIM + " gets SIGKILL. The scheduler notices the death, re-plans the"
              + " hit replica over the " + (NODES - 1) + " survivors and redoes step " + killAt
              + ": only the step in flight is lost.",
          "At step " + joinAt + " a fresh node JVM (node-" + NODES + ") starts and joins at that step boundary; the"
              + " job is back on " + NODES + " nodes.",
          "Every step's parameter digest is compared with a failure-free run of the single-threaded reference"
              + " trainer: " + ok + " means bitwise equal.");
      for (String p : plan) {
        List<String> lines = DemoTimeline.wrap(p, DemoTimeline.WIDTH - 6);
        out.println("  * " + lines.get(0));
        lines.subList(1, lines.size()).forEach(l -> out.println("    " + l));
      }
      out.println();
      out.flush();
    }

    /** The failure-free run every step is checked against: digest of step k at index k - 1. */
    private long[] reference(PrintWriter out, TrainConfig config, Corpus corpus) {
      out.print("computing the failure-free reference run (" + steps + " steps of the reference trainer)... ");
      out.flush();
      long t0 = System.nanoTime();
      long[] digests = new long[steps];
      try (ReferenceDriver reference = ReferenceDriver.fresh(config, corpus)) {
        for (int i = 0; i < steps; i++) {
          digests[i] = reference.step().digest();
        }
      }
      out.println("done in " + ProgressReporter.duration(System.nanoTime() - t0));
      out.flush();
      return digests;
    }

    /** One committed step of the runtime. */
    private record Row(long step, float loss, long digest, String layout, long nanos, long tokens) {}

    /** The runtime part: starts the nodes, steps, turns events into timeline entries, keeps what the summary needs. */
    private final class Run {
      private final PrintWriter out;
      private final DemoTimeline timeline;
      private final List<Row> rows = new ArrayList<>();
      private final TreeSet<Long> faultSteps = new TreeSet<>();
      private RuntimeException failure;
      private long failedStep;
      private RunEvent killed;
      private long killStep = -1;
      private RunEvent recovered;
      private long recoveredStep = -1;
      private double startMillis = Double.NaN;
      private RunEvent joined;
      private long joinedStep = -1;

      Run(PrintWriter out) {
        this.out = out;
        this.timeline = new DemoTimeline(out);
      }

      void go(TrainConfig config, Corpus corpus) {
        RuntimeOptions options = new RuntimeOptions(DP, PP, NODES, 1, null, "127.0.0.1",
            List.of(new RuntimeOptions.Kill(VICTIM, killAt)), List.of((long) joinAt), null);
        out.println("starting " + NODES + " node JVMs...");
        out.flush();
        long t0 = System.nanoTime();
        try (RuntimeDriver driver = RuntimeDriver.start(options, config, null, corpus, timeline.nodeOutput())) {
          out.println("job started in " + ProgressReporter.duration(System.nanoTime() - t0) + " under layout "
              + driver.layout() + "; the clock starts now.");
          out.println();
          out.flush();
          timeline.start(System.nanoTime());
          try (DemoEvents events = new DemoEvents(driver)) {
            steps(driver, events);
          } finally {
            timeline.stopNodeLines();
            timeline.flush();
          }
          out.println();
          out.println("stopping the node JVMs...");
          out.println();
          out.flush();
        }
      }

      private void steps(RuntimeDriver driver, DemoEvents events) {
        while (driver.committedSteps() < steps) {
          long next = driver.committedSteps() + 1;
          if (next == joinAt) {
            timeline.add(System.nanoTime(), ">> starting one more node JVM; it joins at the start of step " + next,
                3);
            timeline.flush();
          }
          long begin = System.nanoTime();
          StepResult r;
          try {
            r = driver.step();
          } catch (RuntimeException e) {
            long now = System.nanoTime();
            events(events.take(), next, begin, now);
            failure = e;
            failedStep = next;
            timeline.add(now, "!! the run failed during step " + next + ": " + message(e), 3);
            timeline.flush();
            return;
          }
          long end = System.nanoTime();
          long stepBegin = events(events.take(), r.step(), begin, end);
          rows.add(new Row(r.step(), r.loss(), r.digest(), driver.layout(), end - stepBegin, r.tokens()));
          timeline.add(end, stepLine(rows.get(rows.size() - 1)), 0);
          timeline.flush();
        }
      }

      private String stepLine(Row row) {
        int width = Integer.toString(steps).length();
        boolean same = row.step() >= 1 && row.step() <= reference.length
            && reference[(int) row.step() - 1] == row.digest();
        String line = String.format(Locale.ROOT, "step %" + width + "d  loss %.4f  %-18s %5d ms  digest %s %s",
            row.step(), row.loss(), row.layout(), Math.round(row.nanos() / 1e6), Digest.hex(row.digest()),
            same ? ok : bad);
        if (!same && row.step() >= 1 && row.step() <= reference.length) {
          line += " (reference " + Digest.hex(reference[(int) row.step() - 1]) + ")";
        }
        return line;
      }

      /**
       * Turns the events seen during step {@code step} (requested at {@code begin}, committed at
       * {@code end}) into timeline entries; returns when the step itself began (after a joining
       * node's JVM was up).
       */
      private long events(List<DemoEvents.Seen> seen, long step, long begin, long end) {
        // The driver measures a recovery from the kill; put the kill and the recovery where they were.
        long killAtNanos = -1;
        for (DemoEvents.Seen s : seen) {
          if (s.event().name().equals("recovered")) {
            killAtNanos = end - nanos(s.event(), "redoneMillis");
          }
        }
        long stepBegin = begin;
        long startedAt = -1;
        for (DemoEvents.Seen s : seen) {
          RunEvent e = s.event();
          faultSteps.add(step);
          switch (e.name()) {
            case "node-killed" -> {
              killed = killed == null ? e : killed;
              killStep = killStep < 0 ? step : killStep;
              timeline.add(killAtNanos >= 0 ? killAtNanos : s.at(), String.format(Locale.ROOT,
                  ">> %s killed (SIGKILL, pid %s) during step %s", e.fields().get("node"), e.fields().get("pid"),
                  e.fields().get("step")), 3);
            }
            case "recovered" -> {
              recovered = recovered == null ? e : recovered;
              recoveredStep = recoveredStep < 0 ? step : recoveredStep;
              long abandoned = (long) num(e, "abandonedStep");
              String redo = abandoned >= 1
                  ? "step " + abandoned + " redone in " + ms(num(e, "redoneMillis"))
                  : "step " + e.fields().get("step") + " committed " + ms(num(e, "redoneMillis")) + " after the kill";
              timeline.add(Math.min(end, killAtNanos + nanos(e, "mttrMillis")), String.format(Locale.ROOT,
                  ">> recovered: running as %s, MTTR %s (detect %s), %s", e.fields().get("layout"),
                  ms(num(e, "mttrMillis")), ms(num(e, "detectMillis")), redo), 3);
            }
            case "node-started" -> {
              startedAt = s.at();
              stepBegin = Math.max(begin, s.at());
              if (Double.isNaN(startMillis)) {
                startMillis = (s.at() - begin) / 1e6;
              }
              timeline.add(s.at(), String.format(Locale.ROOT, ">> %s is up (pid %s) after %s", e.fields().get("node"),
                  e.fields().get("pid"), seconds(s.at() - begin)), 3);
            }
            case "node-joined" -> {
              joined = joined == null ? e : joined;
              joinedStep = joinedStep < 0 ? step : joinedStep;
              // The scheduler takes a node in as soon as it hears it, which tends to be before the driver
              // sees it up: the driver's sighting is the best bound the events give.
              long at = startedAt >= 0 ? startedAt : s.at();
              timeline.add(at, String.format(Locale.ROOT, ">> %s joined: running as %s (re-configured in %s)",
                  unbracket(e.fields().get("nodes")), e.fields().get("layout"), ms(num(e, "reconfigureMillis"))), 3);
            }
            default -> timeline.add(s.at(), ">> " + e.describe(), 3);
          }
        }
        return stepBegin;
      }
    }

    // ---- summary and verdict ------------------------------------------------------------------

    private record Phase(String name, long from, long to, int nodes) {}

    private void summary(PrintWriter out, Run run) {
      out.println("summary");
      if (run.recovered != null) {
        RunEvent r = run.recovered;
        long abandoned = (long) num(r, "abandonedStep");
        fact(out, "MTTR", ms(num(r, "mttrMillis")), "from the SIGKILL to training running again (detecting the"
            + " death took " + ms(num(r, "detectMillis")) + " of it)");
        fact(out, "kill -> commit", ms(num(r, "redoneMillis")), "from the SIGKILL to step " + r.fields().get("step")
            + " committed; " + (abandoned >= 1 ? "only step " + abandoned + ", the one in flight, was redone"
                : "no step was redone"));
      } else {
        fact(out, "MTTR", "-", "no recovery was reported");
      }
      if (run.joined != null) {
        fact(out, "join", ms(num(run.joined, "reconfigureMillis")), "to re-configure for "
            + unbracket(run.joined.fields().get("nodes")) + " at the start of step " + run.joinedStep
            + (Double.isNaN(run.startMillis) ? "" : " (its JVM took " + seconds((long) (run.startMillis * 1e6))
                + " to start)"));
      } else {
        fact(out, "join", "-", "no node joined");
      }
      long kill = run.killStep > 0 ? run.killStep : killAt;
      long recovery = run.recoveredStep > 0 ? run.recoveredStep : kill;
      long join = run.joinedStep > 0 ? run.joinedStep : joinAt;
      int killedNodes = run.killed == null ? 0 : 1;
      int joinedNodes = run.joined == null ? 0 : 1;
      List<Phase> phases = List.of(new Phase("before the kill", 1, kill - 1, NODES),
          new Phase("after recovery", recovery + 1, join - 1, NODES - killedNodes),
          new Phase("after the join", join + 1, steps, NODES - killedNodes + joinedNodes));
      fact(out, "throughput", "tokens/s", "steps 1-" + warmup + " (JIT warm-up)"
          + (run.faultSteps.isEmpty() ? "" : " and the steps that held a fault (" + stepList(run.faultSteps) + ")")
          + " do not count");
      double[] rates = new double[phases.size()];
      List<List<Row>> counted = new ArrayList<>();
      for (int i = 0; i < phases.size(); i++) {
        Phase p = phases.get(i);
        List<Row> rows = run.rows.stream().filter(r -> r.step() >= p.from() && r.step() <= p.to()
            && r.step() > warmup && !run.faultSteps.contains(r.step())).toList();
        counted.add(rows);
        rates[i] = rows.isEmpty() ? Double.NaN
            : rows.stream().mapToLong(Row::tokens).sum() / (rows.stream().mapToLong(Row::nanos).sum() / 1e9);
        String range = rows.isEmpty() ? "no steps"
            : rows.size() == 1 ? "step " + rows.get(0).step()
            : "steps " + rows.get(0).step() + "-" + rows.get(rows.size() - 1).step();
        String layout = rows.isEmpty() ? "" : rows.get(rows.size() - 1).layout();
        String vsBefore = i == 0 || Double.isNaN(rates[i]) || Double.isNaN(rates[0]) ? ""
            : String.format(Locale.ROOT, "  %.2f x before", rates[i] / rates[0]);
        out.printf(Locale.ROOT, "    %-16s %-12s %d nodes  %-18s %7s%s%n", p.name(), range, p.nodes(), layout,
            Double.isNaN(rates[i]) ? "-" : String.format(Locale.ROOT, "%,.0f", rates[i]), vsBefore);
      }
      List<String> warming = new ArrayList<>();
      for (int i = 0; i < phases.size(); i++) {
        if (stillWarming(counted.get(i))) {
          warming.add(phases.get(i).name());
        }
      }
      boolean ratio = !Double.isNaN(rates[0]) && !Double.isNaN(rates[2]);
      fact(out, "after/before", ratio ? String.format(Locale.ROOT, "%.2f", rates[2] / rates[0]) : "-",
          "throughput after the join / before the kill (" + Runtime.getRuntime().availableProcessors()
              + " cores shared by the driver and the node JVMs: expect noise)");
      if (!warming.isEmpty()) {
        fact(out, "note", "", "step times were still falling " + String.join(" and ", warming) + ": the node JVMs'"
            + " JIT compiles the kernels during their first steps (a joining node starts cold), which lowers those"
            + " figures; longer phases and a larger --warmup dilute it");
      }
      if (!run.rows.isEmpty()) {
        Row first = run.rows.get(0);
        Row last = run.rows.get(run.rows.size() - 1);
        fact(out, "loss", String.format(Locale.ROOT, "%.4f", last.loss()), String.format(Locale.ROOT,
            "at step %d, down from %.4f at step %d", last.step(), first.loss(), first.step()));
      }
      out.println();
      out.flush();
    }

    /**
     * Whether the step times of a phase were still falling, the mark of JIT warm-up: the first
     * half of its steps took 1.5 times as long as the second half, or more.
     */
    static boolean stillWarming(List<Row> rows) {
      if (rows.size() < 2) {
        return false;
      }
      int half = rows.size() / 2;
      double early = rows.subList(0, half).stream().mapToLong(Row::nanos).average().orElse(0);
      double late = rows.subList(rows.size() - half, rows.size()).stream().mapToLong(Row::nanos).average().orElse(0);
      return early >= 1.5 * late;
    }

    /** {@code   label           value  text}, the text wrapped under itself. */
    private static void fact(PrintWriter out, String label, String value, String text) {
      String head = String.format(Locale.ROOT, "  %-14s %8s  ", label, value);
      List<String> lines = DemoTimeline.wrap(text, DemoTimeline.WIDTH - head.length());
      out.println(head + lines.get(0));
      lines.subList(1, lines.size()).forEach(l -> out.println(" ".repeat(head.length()) + l));
    }

    private int verdict(PrintWriter out, Run run) {
      List<Long> mismatches = new ArrayList<>();
      for (Row r : run.rows) {
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
      } else if (run.rows.size() != steps) {
        out.printf(Locale.ROOT, "VERDICT: FAILED: %d of %d steps committed%n", run.rows.size(), steps);
        problem = "not every step committed";
      } else if (run.killed == null || run.recovered == null || run.joined == null) {
        String missing = run.killed == null ? "no node was killed"
            : run.recovered == null ? "no recovery was reported" : "no node joined";
        out.printf(Locale.ROOT, "VERDICT: INCONCLUSIVE: all %d step digests equal the failure-free reference run,"
            + " but %s%n", steps, missing);
        problem = "the scenario did not play out: " + missing;
      } else {
        out.printf(Locale.ROOT, "VERDICT: all %d step digests equal the failure-free reference run (bitwise)%n", steps);
      }
      out.flush();
      if (problem == null) {
        return Main.EXIT_OK;
      }
      PrintWriter err = spec.commandLine().getErr();
      err.println("elaswave: demo kill-node failed: " + problem);
      err.flush();
      return Main.EXIT_FAILURE;
    }

    // ---- formatting ------------------------------------------------------------------------------

    private static String symbol(String preferred, String fallback) {
      String encoding = System.getProperty("sun.stdout.encoding", Charset.defaultCharset().name());
      try {
        return Charset.forName(encoding).newEncoder().canEncode(preferred) ? preferred : fallback;
      } catch (RuntimeException e) {
        return fallback;
      }
    }

    private static String message(RuntimeException e) {
      return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    private static double num(RunEvent e, String key) {
      Object v = e.fields().get(key);
      return v instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    private static long nanos(RunEvent e, String millisKey) {
      double v = num(e, millisKey);
      return Double.isNaN(v) ? 0 : Math.round(v * 1e6);
    }

    private static String ms(double millis) {
      return Double.isNaN(millis) ? "?" : String.format(Locale.ROOT, "%.0f ms", millis);
    }

    private static String seconds(long nanos) {
      return String.format(Locale.ROOT, "%.2fs", nanos / 1e9);
    }

    private static String unbracket(Object nodes) {
      return String.valueOf(nodes).replaceAll("^\\[|]$", "");
    }

    /** {@code step 8} or {@code steps 8, 16}. */
    private static String stepList(TreeSet<Long> steps) {
      return (steps.size() == 1 ? "step " : "steps ") + steps.stream().map(String::valueOf)
          .collect(Collectors.joining(", "));
    }
  }
}
