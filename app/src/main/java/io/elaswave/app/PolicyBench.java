package io.elaswave.app;

import io.elaswave.app.launch.NodeBudgets;
import io.elaswave.engine.data.Corpus;
import io.elaswave.engine.train.ReferenceTrainer;
import io.elaswave.engine.train.StepResult;
import io.elaswave.engine.train.TrainConfig;
import io.elaswave.planner.recovery.RecoveryPolicies;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code elaswave bench policies}: the same job and the same fault under each recovery policy,
 * back to back on the same budgets, repeated; writes the JSON, a Markdown table beside it, every
 * run's metrics file and the reference's, and an HTML report of it all. Needs root (budgets).
 */
@Command(name = "policies", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = {"ElasWave against TorchFT-, ReCycle- and restart-style recovery in the same runtime, on emulated"
        + " accelerators: dp2 x pp4 on 8 node JVMs, node-5 killed (or slowed, or killed and a node joining);"
        + " writes JSON, a Markdown table and an HTML report (root)."})
final class PolicyBench implements Callable<Integer> {
  /** Tries of a run whose job did not start (nothing measured yet) before the bench gives up. */
  private static final int START_ATTEMPTS = 3;
  static final String HEARTBEAT_PAUSE = "10s";

  @Spec private CommandSpec spec;

  @Option(names = "--scenario", paramLabel = "NAME", description = "kill (default), join or slow.")
  private String scenario = "kill";

  @Option(names = "--policies", paramLabel = "LIST", split = ",",
      description = "Policies to run, in order (default: elaswave,torchft,recycle,restart).")
  private List<String> policies = RecoveryPolicies.NAMES;

  @Option(names = "--model", paramLabel = "NAME", description = "Model (default: small).")
  private String model = "small";

  @Option(names = "--cpus", paramLabel = "X", description = "Every node's budget, cores (default: 0.2).")
  private String cpus = "0.2";

  @Option(names = "--micro-batches", paramLabel = "G", description = "Micro-batches per step (default: 16).")
  private int microBatches = 16;

  @Option(names = "--steps", paramLabel = "N", description = "Steps per run (default: 30; join: 36).")
  private Integer steps;

  @Option(names = "--fault-at", paramLabel = "STEP", description = "The step the fault strikes (default: 14).")
  private int faultAt = 14;

  @Option(names = "--repeats", paramLabel = "K", description = "Runs of every policy (default: 3).")
  private int repeats = 3;

  @Option(names = "--checkpoint-every", paramLabel = "K",
      description = "The restart policy's durable checkpoint cadence, steps (default: 5).")
  private int checkpointEvery = 5;

  @Option(names = "--out", paramLabel = "FILE", description = "JSON results (default: bench/results/policies.json).")
  private Path out = Path.of("bench", "results", "policies.json");

  @Override public Integer call() {
    PrintWriter term = spec.commandLine().getOut();
    int n = steps != null ? steps : scenario.equals("join") ? 36 : 30;
    PolicyScenario sc;
    NodeBudgets budgets;
    try {
      policies.forEach(RecoveryPolicies::named);
      int cores = Runtime.getRuntime().availableProcessors();
      budgets = NodeBudgets.parse(List.of(cpus), "--cpus", cores);
      sc = new PolicyScenario(scenario, 2, 4, microBatches, n, faultAt, budgets.of("node-0").orElseThrow().cpus());
    } catch (IllegalArgumentException e) {
      throw new InputException(e.getMessage());
    }
    if (repeats < 1 || checkpointEvery < 1 || microBatches < 2 * sc.dp()) {
      throw new InputException("need --repeats >= 1, --checkpoint-every >= 1 and --micro-batches >= 4");
    }
    Corpus corpus = Corpus.tinyShakespeare();
    TrainConfig config = ElasticBench.custom(model, microBatches, n);
    Path runs = runsDir(out);
    List<StepResult> reference = reference(config, corpus, runs.resolve(scenario + "-reference.jsonl"));
    List<Float> refLoss = new ArrayList<>(List.of(0f));
    List<Long> refDigest = new ArrayList<>(List.of(0L));
    reference.forEach(r -> {
      refLoss.add(r.loss());
      refDigest.add(r.digest());
    });
    List<PolicyOutcome> outcomes = new ArrayList<>();
    for (int k = 1; k <= repeats; k++) {
      for (String policy : policies) { // back to back: every repeat runs each policy once, in order
        term.printf("== %s, %s, repeat %d of %d%n", scenario, policy, k, repeats);
        Path metrics = runs.resolve(scenario + "-" + policy + "-r" + k + ".jsonl");
        Path checkpoints = policy.equals("restart") ? temporary() : null;
        BudgetedRun run = null;
        try {
          for (int attempt = 1; run == null; attempt++) {
            try {
              run = BudgetedRun.run(options(sc, budgets, policy), config, corpus, term,
                  new BudgetedRun.Plan(metrics, checkpoints, checkpointEvery));
            } catch (BudgetedRun.StartFailed e) { // eight JVMs at 0.2 cores: a start can lose a node
              if (attempt == START_ATTEMPTS) {
                term.printf("   gave up after %d attempts; the runs before it are in %s%n", attempt, out);
                throw e;
              }
              term.printf("   %s; starting it again (attempt %d of %d)%n", e.getMessage(), attempt + 1,
                  START_ATTEMPTS);
            }
          }
        } finally {
          delete(checkpoints);
        }
        PolicyOutcome o = PolicyOutcome.of(policy, k, sc, run, refLoss, refDigest);
        term.println("   " + o.json());
        outcomes.add(o);
        // after every run, so that a later run's failure keeps what was measured
        BenchOutput.write(out, new PolicyTable(sc, model, cpus, policies, outcomes).json(), term);
      }
    }
    PolicyTable table = new PolicyTable(sc, model, cpus, policies, outcomes);
    BenchOutput.write(out, table.json(), term);
    Path md = sibling(out, ".md");
    BenchOutput.write(md, table.markdown(), term);
    term.println(table.markdown());
    Path html = sibling(out, ".html");
    List<Path> files = new ArrayList<>();
    for (String p : policies) {
      files.add(runs.resolve(scenario + "-" + p + "-r1.jsonl"));
    }
    try {
      new io.elaswave.app.report.RunReport(files, Optional.of(runs.resolve(scenario + "-reference.jsonl")),
          Optional.of(out)).write(html);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the report: " + e.getMessage(), e);
    }
    term.println("report: " + html);
    return Main.EXIT_OK;
  }

  private static RuntimeOptions options(PolicyScenario sc, NodeBudgets budgets, String policy) {
    RuntimeOptions.Builder b = RuntimeOptions.builder(sc.dp(), sc.pp()).nodes(sc.nodes()).ranksPerNode(1)
        .budgets(budgets).faults(sc.faults()).policy(policy);
    sc.joinAt().forEach(b::joinAt);
    b.joinsWait(true); // every policy sees the join at the same step
    // Emulated nodes of 0.2 cores (0.1 when slowed) miss heartbeats for over 4 s while they JIT-compile,
    // and were downed as frozen hosts at start or mid-join. The bench measures kills, joins and slow
    // nodes, not freezes, so its nodes allow 10 s (deaths are still found by the lifeline at once).
    b.nodeJvmOptions(List.of("-Dpekko.cluster.failure-detector.acceptable-heartbeat-pause=" + HEARTBEAT_PAUSE));
    return b.build();
  }

  /** The reference trainer's steps (also written as a metrics file): what every policy is compared with. */
  static List<StepResult> reference(TrainConfig config, Corpus corpus, Path metrics) {
    ReferenceTrainer trainer = new ReferenceTrainer(config, corpus);
    io.elaswave.engine.train.TrainState state = trainer.initialState();
    List<StepResult> out = new ArrayList<>();
    try (MetricsWriter w = MetricsWriter.open(metrics, false)) {
      for (int s = 1; s <= config.steps(); s++) {
        long t0 = System.nanoTime();
        StepResult r = trainer.step(state);
        state = state.atStep(r.step());
        w.step(r, System.nanoTime() - t0, "reference");
        out.add(r);
      }
    }
    return out;
  }

  static Path runsDir(Path out) {
    String name = out.getFileName().toString().replaceFirst("\\.json$", "");
    Path dir = (out.getParent() == null ? Path.of(".") : out.getParent()).resolve(name + "-runs");
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make " + dir + ": " + e.getMessage(), e);
    }
    return dir;
  }

  /** Where the restart policy's checkpoints go for one run (removed after it). */
  private static Path temporary() {
    try {
      return Files.createTempDirectory("elaswave-bench-checkpoints");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make a checkpoint directory: " + e.getMessage(), e);
    }
  }

  private static void delete(Path dir) {
    if (dir == null) {
      return;
    }
    try (var walk = Files.walk(dir)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a leftover temporary directory is harmless
    }
  }

  static Path sibling(Path out, String ext) {
    String name = out.getFileName().toString().replaceFirst("\\.json$", "") + ext;
    return out.getParent() == null ? Path.of(name) : out.getParent().resolve(name);
  }
}
