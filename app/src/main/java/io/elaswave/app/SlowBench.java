package io.elaswave.app;

import io.elaswave.app.launch.NodeBudgets;
import io.elaswave.engine.data.Corpus;
import io.elaswave.engine.train.TrainConfig;
import io.elaswave.planner.MicroBatchAssigner;
import io.elaswave.protocol.fault.Fault;
import io.elaswave.protocol.runtime.DriverMessage.StepPhases;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code elaswave bench slow}: fail-slow on emulated accelerators. dp4 on four node JVMs of
 * {@code --cpus} cores each; at step {@code --slow-at} node-2's budget drops to
 * {@code --slow-cpus}. The same run twice, back to back: with re-planning for speed on (the
 * default) and off ({@code elaswave.speed-replan = off}). Reported: tokens/s while slow and
 * before the re-plan, after it, the ratio on/off over the last steps, and the bound the best
 * integer split of the micro-batches allows (the healthy steps' overhead plus their per
 * micro-batch kernel time times the best split's slowest replica). Needs root (control groups).
 */
@Command(name = "slow", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = "Fail-slow on emulated accelerators: re-planning for speed on vs off; writes JSON (root).")
final class SlowBench implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Option(names = "--model", paramLabel = "NAME", description = "Model (default: small).")
  private String model = "small";

  @Option(names = "--cpus", paramLabel = "X", description = "Every node's budget, cores (default: 0.4).")
  private String cpus = "0.4";

  @Option(names = "--slow-cpus", paramLabel = "X", description = "node-2's budget once slowed (default: 0.13).")
  private String slowCpus = "0.13";

  @Option(names = "--micro-batches", paramLabel = "G", description = "Micro-batches per step (default: 16).")
  private int microBatches = 16;

  @Option(names = "--steps", paramLabel = "N", description = "Steps per run (default: 40).")
  private int steps = 40;

  @Option(names = "--slow-at", paramLabel = "STEP", description = "The step node-2 slows at (default: 10).")
  private int slowAt = 10;

  @Option(names = "--out", paramLabel = "FILE", description = "JSON results (default: bench/results/slow.json).")
  private Path out = Path.of("bench", "results", "slow.json");

  @Override public Integer call() {
    if (slowAt < 6 || steps < slowAt + 15 || microBatches < 4) {
      throw new InputException("need --slow-at >= 6, --steps >= --slow-at + 15 and --micro-batches >= 4");
    }
    PrintWriter term = spec.commandLine().getOut();
    int cores = Runtime.getRuntime().availableProcessors();
    NodeBudgets budgets;
    double slow;
    try {
      budgets = NodeBudgets.parse(List.of(cpus), "--cpus", cores);
      slow = NodeBudgets.parse(List.of(slowCpus), "--slow-cpus", cores).of("node-0").orElseThrow().cpus();
    } catch (IllegalArgumentException e) {
      throw new InputException(e.getMessage()); // one line, exit 2
    }
    double full = budgets.of("node-0").orElseThrow().cpus();
    Fault fault = new Fault.Slow("node-2", slowAt, slow);
    TrainConfig config = ElasticBench.custom(model, microBatches, steps);
    Corpus corpus = Corpus.tinyShakespeare();
    BudgetedRun on = BudgetedRun.run(options(budgets, fault, "on"), config, corpus, term);
    BudgetedRun off = BudgetedRun.run(options(budgets, fault, "off"), config, corpus, term);
    if (!on.digests.equals(off.digests)) {
      throw new IllegalStateException("re-planning changed the bits: the digests of the two runs differ");
    }
    int lastFrom = steps - 10;
    double healthy = on.tokensPerSecond(5, slowAt - 1);
    double slowOn = on.tokensPerSecond(slowAt + 1, slowAt + 3);
    double afterOn = on.tokensPerSecond(lastFrom, steps);
    double afterOff = off.tokensPerSecond(lastFrom, steps);
    double bound = bound(on, full, slow);
    long replanned = on.firstEvent("replanned");
    String text = String.format(Locale.ROOT, "slow %s dp4 G=%d at %s cores, node-2 -> %s cores at step %d:"
        + " healthy %.0f tok/s, slow %.0f, after re-plan (step %d) %.0f; re-planning off %.0f;"
        + " on/off %.2f; bound %.0f tok/s, achieved %.2f of it", model, microBatches, cpus, slowCpus, slowAt, healthy,
        slowOn, replanned, afterOn, afterOff, afterOn / afterOff, bound, afterOn / bound);
    term.println(text);
    String json = String.format(Locale.ROOT, "{\n  \"slow\": {\"model\": \"%s\", \"emulated\": true, \"cpus\": %s,"
        + " \"slowCpus\": %s, \"microBatches\": %d, \"slowAt\": %d, \"replannedAt\": %d,"
        + " \"tokensPerSecHealthy\": %.1f, \"tokensPerSecSlow\": %.1f, \"tokensPerSecAfterReplan\": %.1f,"
        + " \"tokensPerSecReplanOff\": %.1f, \"onOverOff\": %.3f, \"boundTokensPerSec\": %.1f,"
        + " \"achievedOverBound\": %.3f, \"afterOverSlow\": %.3f}\n}\n", model, cpus, slowCpus, microBatches, slowAt,
        replanned, healthy, slowOn, afterOn, afterOff, afterOn / afterOff, bound, afterOn / bound, afterOn / slowOn);
    BenchOutput.write(out, new StringBuilder(json), term);
    return Main.EXIT_OK;
  }

  private static RuntimeOptions options(NodeBudgets budgets, Fault fault, String replan) {
    return RuntimeOptions.builder(4, 1).nodes(4).ranksPerNode(1).budgets(budgets).fault(fault)
        .nodeJvmOptions(List.of("-Delaswave.speed-replan=" + replan)).build();
  }

  /**
   * Tokens/s the best integer split allows after the slowdown: the healthy steps' time outside
   * the kernels (o), plus the per-micro-batch kernel time (c, healthy) times the best split's
   * max over replicas of ids / relative speed.
   */
  private double bound(BudgetedRun r, double full, double slow) {
    double kernel = r.phaseMillis(5, slowAt - 1, StepPhases::kernel);
    double step = r.seconds.subList(5, slowAt).stream().mapToDouble(Double::doubleValue).sorted()
        .toArray()[(slowAt - 5) / 2] * 1e3;
    double perMicroBatch = kernel / Math.ceil(microBatches / 4.0);
    double overhead = Math.max(0, step - kernel);
    double[] speeds = {1, 1, slow / full, 1};
    return r.tokensPerStep / ((overhead + perMicroBatch * MicroBatchAssigner.bestSplitTime(microBatches, speeds)) / 1e3);
  }
}
