package io.elaswave.app.demo;

import io.elaswave.app.Main;
import io.elaswave.app.VersionProvider;
import io.elaswave.engine.data.Corpus;
import io.elaswave.engine.model.Model;
import io.elaswave.engine.train.ReferenceTrainer;
import io.elaswave.engine.train.StepResult;
import io.elaswave.engine.train.TrainConfig;
import io.elaswave.protocol.fault.Fault;
import io.elaswave.protocol.fault.FaultParser;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code elaswave demo}: narrated demonstrations of the runtime on this machine. */
@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = "Narrated demonstrations of the runtime on this machine.",
    subcommands = {DemoCommand.KillNode.class})
public final class DemoCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Override public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return Main.EXIT_USAGE;
  }

  /**
   * {@code elaswave demo kill-node}: four node JVMs train dp2 × pp2; node-2 is SIGKILLed during a
   * step, the job recovers on three; later a fresh node joins. The {@link DemoNarration} says what
   * will happen, the {@link DemoRun} runs it onto a timeline, the {@link DemoSummary} gives the
   * MTTR, the throughput of each phase and the verdict against a failure-free reference run.
   */
  @Command(name = "kill-node", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
      sortOptions = false,
      description = {"Four node JVMs train dp2 x pp2; node-2 is SIGKILLed during a step and the",
          "job carries on with three; later a fresh node joins. Prints a timeline, the",
          "MTTR, throughput before and after, and checks every step's digest against a",
          "failure-free run of the reference trainer."},
      footer = {"", "Node logs go to runs/<time>/node-<i>.log.",
          "Exit status: 0 every digest equal to the reference, 1 a mismatch or a failed run, 2 bad input."})
  public static final class KillNode implements Callable<Integer> {
    @Spec private CommandSpec spec;

    @Option(names = "--model", paramLabel = "NAME", description = "Model preset: tiny or small (default: tiny).")
    private String model = "tiny";

    @Option(names = "--steps", paramLabel = "N", description = "Train steps 1..N (default: 24; 36 with --node-cpus).")
    private Integer steps;

    @Option(names = "--kill-at", paramLabel = "S",
        description = "SIGKILL " + DemoScenario.VICTIM + " during step S (default: 8; 14 with --node-cpus).")
    private Integer killAt;

    @Option(names = "--join-at", paramLabel = "J",
        description = "A new node JVM starts at step J and joins at the first step boundary once warm (default: 16; 24 with"
            + " --node-cpus).")
    private Integer joinAt;

    @Option(names = "--warmup", paramLabel = "W",
        description = "Leave steps 1..W out of the throughput figures: the node JVMs' JIT is still compiling"
            + " (default: 2; 8 with --node-cpus, whose JVMs compile on a fraction of a core).")
    private Integer warmup;

    @Option(names = "--node-cpus", paramLabel = "X",
        description = "Give every node JVM (the joining one too) a CPU budget of X cores, e.g. 0.4: emulated"
            + " accelerators, so throughput after the kill is what the survivors can do (root).")
    private String nodeCpus;

    @Option(names = "--report", paramLabel = "FILE",
        description = "The HTML report of the run (default: demo-report.html); its metrics and the reference's go"
            + " beside it (FILE without .html, plus .jsonl and -reference.jsonl).")
    private Path report = Path.of("demo-report.html");

    @Option(names = "--fault", paramLabel = "KIND:TARGET@STEP",
        description = "One more fault, as train --fault takes it (e.g. error:r1@12, hang:r3@12); repeatable.")
    private List<String> faults = new ArrayList<>();

    @Override public Integer call() {
      boolean budgeted = nodeCpus != null; // a fraction of a core compiles slowly: give the JIT more steps
      steps = steps != null ? steps : budgeted ? 36 : 24;
      killAt = killAt != null ? killAt : budgeted ? 14 : 8;
      joinAt = joinAt != null ? joinAt : budgeted ? 24 : 16;
      warmup = warmup != null ? warmup : budgeted ? 8 : 2;
      DemoScenario scenario = validate();
      PrintWriter out = spec.commandLine().getOut();
      TrainConfig config = TrainConfig.defaults(model).withSteps(steps);
      if (budgeted) { // enough micro-batches that compute, not the pipeline's fill and drain, sets the pace
        config = config.withMicroBatches(12);
      }
      Corpus corpus = Corpus.tinyShakespeare();
      scenario.check(config, corpus.vocab().size());
      Model m = new Model(config.modelConfig(corpus.vocab().size()));
      DemoMarks marks = DemoMarks.forTerminal();
      new DemoNarration(out, scenario, marks).plan(config, m);
      String stem = report.toString().replaceFirst("\\.html?$", "");
      Path runMetrics = Path.of(stem + ".jsonl");
      Path refMetrics = Path.of(stem + "-reference.jsonl");
      long[] reference = reference(out, config, corpus, refMetrics);
      DemoRun run;
      try (io.elaswave.app.MetricsWriter metrics = io.elaswave.app.MetricsWriter.open(runMetrics, false)) {
        run = new DemoRun(out, scenario, reference, marks, metrics);
        run.go(config, corpus);
      }
      DemoSummary summary = new DemoSummary(out, scenario, reference);
      summary.print(run);
      try {
        new io.elaswave.app.report.RunReport(List.of(runMetrics), java.util.Optional.of(refMetrics),
            java.util.Optional.empty()).write(report);
        out.println("report: " + report.toAbsolutePath().normalize());
      } catch (java.io.IOException | RuntimeException e) {
        out.println("no report: " + e.getMessage()); // a failed run may leave too little to draw
      }
      return summary.verdict(run, spec.commandLine().getErr());
    }

    private DemoScenario validate() {
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
      List<Fault> more = new ArrayList<>();
      for (String f : faults) {
        try {
          more.add(FaultParser.parse(f));
        } catch (IllegalArgumentException e) {
          throw flagError(e.getMessage().startsWith("--fault") ? e.getMessage() : "--fault " + e.getMessage());
        }
      }
      io.elaswave.app.launch.NodeBudgets budgets;
      try {
        budgets = nodeCpus == null ? io.elaswave.app.launch.NodeBudgets.NONE
            : io.elaswave.app.launch.NodeBudgets.parse(List.of(nodeCpus), "--node-cpus",
                java.lang.Runtime.getRuntime().availableProcessors());
      } catch (IllegalArgumentException e) {
        throw flagError(e.getMessage());
      }
      return new DemoScenario(model, steps, killAt, joinAt, warmup, more, budgets);
    }

    private ParameterException flagError(String message) {
      return new ParameterException(spec.commandLine(), message);
    }

    /** The failure-free run every step is checked against: digest of step k at index k - 1. */
    private long[] reference(PrintWriter out, TrainConfig config, Corpus corpus, Path metrics) {
      out.print("computing the failure-free reference run (" + steps + " steps of the reference trainer)... ");
      out.flush();
      long t0 = System.nanoTime();
      List<StepResult> results = new ReferenceTrainer(config, corpus).run(steps);
      try (io.elaswave.app.MetricsWriter w = io.elaswave.app.MetricsWriter.open(metrics, false)) {
        results.forEach(r -> w.step(r, 0, "reference"));
      }
      long[] digests = results.stream().mapToLong(StepResult::digest).toArray();
      out.println("done in " + io.elaswave.app.ProgressReporter.duration(System.nanoTime() - t0));
      out.flush();
      return digests;
    }
  }
}
