package io.elaswave.app;

import io.elaswave.engine.data.Corpus;
import io.elaswave.engine.train.TrainConfig;
import io.elaswave.protocol.fault.Fault;
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
 * here. Time to resume ({@link MttrSeries}) over series of SIGKILLs, frozen hosts and, as root, cut
 * links (fault to decision, to running again, to the redone step committed);
 * throughput after losing one of N ranks against (N−1)/N of before; the per-step cost of buddy
 * snapshots (on vs off). Editing communicator groups in place vs rebuilding them is measured in
 * the bench module ({@code io.elaswave.bench.GroupEditBench}), without node JVMs.
 */
@Command(name = "elastic", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = "MTTR, throughput after a loss, snapshot overhead on node JVMs; writes JSON.")
final class ElasticBench implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Option(names = "--kills", paramLabel = "K", description = "Kills (one per 3-node run) in the MTTR series (default: 5).")
  private int kills = 5;

  @Option(names = "--silent", paramLabel = "K",
      description = "Runs per silent fault (a frozen host; a cut link, as root) in the MTTR series (default: 3).")
  private int silent = 3;

  @Option(names = "--phases", split = ",", paramLabel = "P,...",
      description = "Which phases to run: mttr, throughput, snapshots (default: all).")
  private List<String> phases = List.of("mttr", "throughput", "snapshots");

  @Option(names = "--model", paramLabel = "NAME", description = "Model of the throughput and snapshot phases (default: small).")
  private String model = "small";

  @Option(names = "--out", paramLabel = "FILE", description = "JSON results (default: bench/results/elastic.json).")
  private Path out = Path.of("bench", "results", "elastic.json");

  private PrintWriter term;

  @Override public Integer call() {
    if (kills < 1 || kills > 20) {
      throw new InputException("--kills must be in [1, 20]");
    }
    if (silent < 0 || silent > 20) {
      throw new InputException("--silent must be in [0, 20]");
    }
    if (phases.isEmpty() || !List.of("mttr", "throughput", "snapshots").containsAll(phases)) {
      throw new InputException("--phases takes mttr, throughput, snapshots (comma-separated), got " + phases);
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
    if (silent == 0) {
      return "  \"mttr\": {" + parts.get(0) + "}";
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
   * dp=4 on 4 nodes; node-3 killed during step 15 of 24; steps 7–14 against steps 17–24 (the
   * first steps are left to the JIT of four fresh JVMs).
   */
  private String throughputAfterLoss(Corpus corpus) {
    TrainConfig config = TrainConfig.defaults(model).withSteps(24);
    double[] stepSeconds = new double[25];
    RuntimeOptions options = RuntimeOptions.builder(4, 1).nodes(4).ranksPerNode(1)
        .fault(new Fault.Kill("node-3", 15)).build();
    try (RuntimeDriver d = RuntimeDriver.start(options, config, null, corpus, term)) {
      for (int s = 1; s <= 24; s++) {
        long t0 = System.nanoTime();
        d.step();
        stepSeconds[s] = (System.nanoTime() - t0) / 1e9;
        d.drainEvents();
      }
    }
    long tokens = config.tokensPerStep(config.modelConfig(corpus.vocab().size()).seqLen());
    double before = 8 * tokens / Arrays.stream(stepSeconds, 7, 15).sum();
    double after = 8 * tokens / Arrays.stream(stepSeconds, 17, 25).sum();
    double ratio = after / (0.75 * before);
    term.printf(Locale.ROOT, "throughput %s dp4: before %.0f tok/s, after losing 1 of 4 ranks %.0f tok/s;"
        + " after / (3/4 x before) = %.2f%n", model, before, after, ratio);
    return String.format(Locale.ROOT, "  \"throughputAfterLoss\": {\"model\": \"%s\", \"ranksBefore\": 4,"
        + " \"tokensPerSecBefore\": %.1f, \"tokensPerSecAfter\": %.1f, \"afterOverExpected\": %.3f}", model, before, after,
        ratio);
  }

  /**
   * dp=2 on 2 nodes, 24 steps with steps 9–24 timed, with buddy snapshots on and off, alternated
   * twice (on, off, on, off) so drift and warm-up hit both alike.
   */
  private String snapshotOverhead(Corpus corpus) {
    TrainConfig config = TrainConfig.defaults(model).withSteps(24);
    List<Double> on = new ArrayList<>();
    List<Double> off = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      on.add(meanStepSeconds(config, corpus, List.of("-Delaswave.snapshots=on")));
      off.add(meanStepSeconds(config, corpus, List.of("-Delaswave.snapshots=off")));
    }
    double onMean = on.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    double offMean = off.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    double overhead = (onMean - offMean) / offMean;
    term.printf(Locale.ROOT, "snapshots %s dp2 on 2 nodes: %.1f ms/step on %s, %.1f ms/step off %s: overhead %.1f%%%n",
        model, onMean * 1e3, millisList(on), offMean * 1e3, millisList(off), overhead * 100);
    return String.format(Locale.ROOT, "  \"snapshotOverhead\": {\"model\": \"%s\", \"msPerStepOn\": %s,"
        + " \"msPerStepOff\": %s, \"overhead\": %.4f}", model, millisList(on), millisList(off), overhead);
  }

  private static String millisList(List<Double> seconds) {
    return seconds.stream().map(s -> String.format(Locale.ROOT, "%.1f", s * 1e3)).toList().toString();
  }

  private double meanStepSeconds(TrainConfig config, Corpus corpus, List<String> nodeOptions) {
    double total = 0;
    RuntimeOptions options = RuntimeOptions.builder(2, 1).nodes(2).ranksPerNode(1).nodeJvmOptions(nodeOptions)
        .build();
    try (RuntimeDriver d = RuntimeDriver.start(options, config, null, corpus, term)) {
      for (int s = 1; s <= config.steps(); s++) {
        long t0 = System.nanoTime();
        d.step();
        if (s >= 9) {
          total += (System.nanoTime() - t0) / 1e9;
        }
      }
    }
    return total / (config.steps() - 8);
  }

  static TrainConfig custom(String model, int microBatches, long steps) {
    TrainConfig d = TrainConfig.defaults(model);
    return new TrainConfig(model, d.seed(), (int) steps, microBatches, d.microBatchSize(), d.lr(), d.minLr(),
        d.warmupSteps(), d.decaySteps(), d.adamW(), 0, d.evalBatches());
  }

}
