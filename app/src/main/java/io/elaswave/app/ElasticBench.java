package io.elaswave.app;

import io.elaswave.app.launch.BudgetGroups;
import io.elaswave.app.launch.NodeBudgets;
import io.elaswave.engine.data.Corpus;
import io.elaswave.engine.train.TrainConfig;
import io.elaswave.protocol.fault.Fault;
import io.elaswave.protocol.runtime.DriverMessage.StepPhases;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code elaswave bench elastic}: what elasticity costs and buys, measured on node JVMs started
 * here. Time to resume ({@link MttrSeries}) over series of SIGKILLs (of a worker, and of the
 * scheduler's node), frozen hosts and, as root, cut
 * links (fault to decision, to running again, to the redone step committed);
 * throughput after losing one of N ranks against (N−1)/N of before; the per-step cost of buddy
 * snapshots (on vs off); recovering first and migrating in the background against the balanced
 * plan at once ({@link MigrationPhase}). Editing communicator groups in place vs rebuilding them is measured in
 * the bench module ({@code io.elaswave.bench.GroupEditBench}), without node JVMs.
 */
@Command(name = "elastic", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = "MTTR, throughput after a loss, snapshot overhead on node JVMs; writes JSON.")
final class ElasticBench implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Option(names = "--kills", paramLabel = "K", description = "Kills (one per 3-node run) in the MTTR series (default: 5).")
  private int kills = 5;

  @Option(names = "--scheduler-kills", paramLabel = "K",
      description = "Kills of the node hosting the scheduler (node-0) in the MTTR series (default: 3; 0: none).")
  private int schedulerKills = 3;

  @Option(names = "--silent", paramLabel = "K",
      description = "Runs per silent fault (a frozen host; a cut link, as root) in the MTTR series (default: 3).")
  private int silent = 3;

  @Option(names = "--phases", split = ",", paramLabel = "P,...",
      description = "Which phases to run: mttr, throughput, snapshots, migration (default: all).")
  private List<String> phases = List.of("mttr", "throughput", "snapshots", "migration");

  @Option(names = "--model", paramLabel = "NAME", description = "Model of the throughput and snapshot phases (default: small).")
  private String model = "small";

  @Option(names = "--cpus", paramLabel = "X",
      description = "CPU budget of every node JVM in the throughput phase, cores, as root (default: 0.4).")
  private String cpus = "0.4";

  @Option(names = "--snapshot-rounds", paramLabel = "K",
      description = "Rounds of snapshot runs (off, replay, full; default: 3).")
  private int snapshotRounds = 3;

  @Option(names = "--migration-rounds", paramLabel = "K",
      description = "Rounds of migration runs (blocking, background; default: 3).")
  private int migrationRounds = 3;

  @Option(names = "--out", paramLabel = "FILE", description = "JSON results (default: bench/results/elastic.json).")
  private Path out = Path.of("bench", "results", "elastic.json");

  private PrintWriter term;

  @Override public Integer call() {
    if (kills < 1 || kills > 20) {
      throw new InputException("--kills must be in [1, 20]");
    }
    if (schedulerKills < 0 || schedulerKills > 20) {
      throw new InputException("--scheduler-kills must be in [0, 20]");
    }
    if (snapshotRounds < 1 || snapshotRounds > 20) {
      throw new InputException("--snapshot-rounds must be in [1, 20]");
    }
    if (silent < 0 || silent > 20) {
      throw new InputException("--silent must be in [0, 20]");
    }
    if (migrationRounds < 1 || migrationRounds > 20) {
      throw new InputException("--migration-rounds must be in [1, 20]");
    }
    if (phases.isEmpty() || !List.of("mttr", "throughput", "snapshots", "migration").containsAll(phases)) {
      throw new InputException("--phases takes mttr, throughput, snapshots, migration (comma-separated), got "
          + phases);
    }
    term = spec.commandLine().getOut();
    Corpus corpus = Corpus.tinyShakespeare();
    List<String> parts = new ArrayList<>();
    if (phases.contains("mttr")) {
      parts.add(mttr(corpus));
    }
    if (phases.contains("throughput")) {
      parts.add(throughputAfterLoss(corpus));
    }
    if (phases.contains("snapshots")) {
      parts.add(snapshotOverhead(corpus));
    }
    if (phases.contains("migration")) {
      NodeBudgets budgets = BudgetGroups.available() ? NodeBudgets.parse(List.of(cpus), "--cpus",
          java.lang.Runtime.getRuntime().availableProcessors()) : NodeBudgets.NONE;
      parts.add(MigrationPhase.run(migrationRounds, budgets, cpus, corpus, term));
    }
    StringBuilder json = new StringBuilder("{\n").append(String.join(",\n", parts)).append("\n}\n");
    BenchOutput.write(out, json, term);
    return Main.EXIT_OK;
  }

  /**
   * Time to resume after each kind of fault, in series of small runs: SIGKILL, a frozen host
   * (SIGSTOP for good), and, as root, a cut link (network namespaces). Kills are proved dead at
   * once; silence is judged by the failure detector and the scheduler's own heartbeats.
   */
  private String mttr(Corpus corpus) {
    List<String> parts = new ArrayList<>();
    parts.add("\"kill\": " + MttrSeries.run("kill", kills, step -> new Fault.Kill("node-2", step), corpus, term).json());
    if (schedulerKills > 0) { // node-0 is the oldest worker: the scheduler singleton runs there
      parts.add("\"schedulerKill\": " + MttrSeries.run("scheduler-kill", schedulerKills,
          step -> new Fault.Kill("node-0", step), corpus, term).json());
    }
    if (silent == 0) {
      return "  \"mttr\": {" + String.join(", ", parts) + "}";
    }
    parts.add("\"freeze\": " + MttrSeries.run("freeze", silent, step -> new Fault.Freeze("node-2", step, 0), corpus,
        term).json());
    if ("root".equals(System.getProperty("user.name"))) {
      parts.add("\"partition\": " + MttrSeries.run("partition", silent, step -> new Fault.Partition("node-2", step, 0),
          corpus, term).json());
    } else {
      term.println("partition: skipped (cutting a link needs root: network namespaces)");
    }
    return "  \"mttr\": {" + String.join(", ", parts) + "}";
  }

  /**
   * Throughput after a change, on emulated accelerators where the machine allows (root: every
   * node JVM {@code --cpus} cores): dp4 on 4 nodes with G = 12, node-3 killed at step 15 of 30;
   * then, back to back, a fresh dp3 run on 3 nodes with the same budgets and G, the reference
   * for "what the survivors can do". Medians of steps 6–14 (before) and 20–30 (after, and the
   * fresh run's); also where a healthy step's time goes (the runtime's overhead under budgets).
   */
  private String throughputAfterLoss(Corpus corpus) {
    TrainConfig config = custom(model, 12, 30);
    boolean emulated = BudgetGroups.available();
    NodeBudgets budgets = emulated ? NodeBudgets.parse(List.of(cpus), "--cpus",
        java.lang.Runtime.getRuntime().availableProcessors()) : NodeBudgets.NONE;
    BudgetedRun dp4 = BudgetedRun.run(RuntimeOptions.builder(4, 1).nodes(4).ranksPerNode(1).budgets(budgets)
        .fault(new Fault.Kill("node-3", 15)).build(), config, corpus, term);
    BudgetedRun dp3 = BudgetedRun.run(RuntimeOptions.builder(3, 1).nodes(3).ranksPerNode(1).budgets(budgets).build(),
        config, corpus, term);
    double before = dp4.tokensPerSecond(6, 14);
    double after = dp4.tokensPerSecond(20, 30);
    double fresh = dp3.tokensPerSecond(20, 30);
    double ratio = after / (0.75 * before);
    String label = emulated ? "emulated accelerators, " + cpus + " cores per node" : "no budgets (not root)";
    term.printf(Locale.ROOT, "throughput %s dp4 G=12 (%s): before %.0f tok/s, after losing 1 of 4 %.0f tok/s,"
        + " fresh dp3 %.0f tok/s; after / (3/4 x before) = %.2f, after / fresh dp3 = %.2f%n", model, label, before,
        after, fresh, ratio, after / fresh);
    return String.format(Locale.ROOT, "  \"throughputAfterLoss\": {\"model\": \"%s\", \"emulated\": %b,"
        + " \"cpusPerNode\": \"%s\", \"microBatches\": 12, \"ranksBefore\": 4, \"tokensPerSecBefore\": %.1f,"
        + " \"tokensPerSecAfter\": %.1f, \"tokensPerSecFreshDp3\": %.1f, \"afterOverExpected\": %.3f,"
        + " \"afterOverFresh\": %.3f,%n    \"dp4Phases\": %s,%n    \"freshDp3Phases\": %s}", model, emulated,
        emulated ? cpus : "none", before, after, fresh, ratio, after / fresh, phases(dp4, 6, 14), phases(dp3, 20, 30));
  }

  /** Medians of a run's phases over steps [from, to], and the share of the step outside the kernels. */
  private static String phases(BudgetedRun r, int from, int to) {
    double step = r.tokensPerStep / r.tokensPerSecond(from, to) * 1e3;
    double kernel = r.phaseMillis(from, to, StepPhases::kernel);
    return String.format(Locale.ROOT, "{\"stepMillis\": %.1f, \"kernelMillis\": %.1f, \"computeMillis\": %.1f,"
        + " \"reduceMillis\": %.1f, \"updateMillis\": %.1f, \"gatherMillis\": %.1f, \"ledgerMillis\": %.1f,"
        + " \"gcMillis\": %.1f, \"overheadShare\": %.3f}", step, kernel, r.phaseMillis(from, to, StepPhases::compute),
        r.phaseMillis(from, to, StepPhases::reduce), r.phaseMillis(from, to, StepPhases::update),
        r.phaseMillis(from, to, StepPhases::gather), r.phaseMillis(from, to, StepPhases::ledger),
        r.phaseMillis(from, to, StepPhases::gc), 1 - kernel / step);
  }

  /**
   * What buddy snapshots cost a step: dp=2 on 2 nodes, 24 steps with steps 9–24 timed (their
   * median), in rounds of three runs back to back — snapshots off, by replay (gradients and
   * scalars), in full (m and v every step) — so drift and warm-up hit all alike. Each round gives
   * a ratio to its own off run; the overhead is the median ratio.
   */
  private String snapshotOverhead(Corpus corpus) {
    TrainConfig config = TrainConfig.defaults(model).withSteps(24);
    List<String> modes = List.of("off", "replay", "full");
    java.util.Map<String, List<Double>> millis = new java.util.LinkedHashMap<>();
    modes.forEach(m -> millis.put(m, new ArrayList<>()));
    for (int round = 0; round < snapshotRounds; round++) {
      millis.get("off").add(medianStepMillis(config, corpus, List.of("-Delaswave.snapshots=off")));
      millis.get("replay").add(medianStepMillis(config, corpus, List.of("-Delaswave.snapshot-replay=on")));
      millis.get("full").add(medianStepMillis(config, corpus, List.of("-Delaswave.snapshot-replay=off")));
    }
    double replay = medianRatio(millis.get("replay"), millis.get("off")) - 1;
    double full = medianRatio(millis.get("full"), millis.get("off")) - 1;
    term.printf(Locale.ROOT, "snapshots %s dp2 on 2 nodes, median ms/step per run: off %s, replay %s, full %s;"
        + " overhead (median of rounds) replay %.1f%%, full %.1f%%%n", model, millis.get("off"), millis.get("replay"),
        millis.get("full"), replay * 100, full * 100);
    return String.format(Locale.ROOT, "  \"snapshotOverhead\": {\"model\": \"%s\", \"rounds\": %d,"
        + " \"msPerStepOff\": %s, \"msPerStepReplay\": %s, \"msPerStepFull\": %s, \"overhead\": %.4f,"
        + " \"overheadFull\": %.4f}", model, snapshotRounds, millis.get("off"), millis.get("replay"), millis.get("full"),
        replay, full);
  }

  private static double medianRatio(List<Double> xs, List<Double> base) {
    List<Double> ratios = new ArrayList<>();
    for (int i = 0; i < xs.size(); i++) {
      ratios.add(xs.get(i) / base.get(i));
    }
    List<Double> sorted = ratios.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private double medianStepMillis(TrainConfig config, Corpus corpus, List<String> nodeOptions) {
    List<Double> steps = new ArrayList<>();
    RuntimeOptions options = RuntimeOptions.builder(2, 1).nodes(2).ranksPerNode(1).nodeJvmOptions(nodeOptions)
        .build();
    try (RuntimeDriver d = RuntimeDriver.start(options, config, null, corpus, term)) {
      for (int s = 1; s <= config.steps(); s++) {
        long t0 = System.nanoTime();
        d.step();
        if (s >= 9) {
          steps.add((System.nanoTime() - t0) / 1e6);
        }
      }
    }
    List<Double> sorted = steps.stream().sorted().toList();
    return Math.round(10 * sorted.get(sorted.size() / 2)) / 10.0;
  }

  static TrainConfig custom(String model, int microBatches, long steps) {
    TrainConfig d = TrainConfig.defaults(model);
    return new TrainConfig(model, d.seed(), (int) steps, microBatches, d.microBatchSize(), d.lr(), d.minLr(),
        d.warmupSteps(), d.decaySteps(), d.adamW(), 0, d.evalBatches());
  }

}
