package io.elaswave.app;

import io.elaswave.app.launch.NodeBudgets;
import io.elaswave.engine.data.Corpus;
import io.elaswave.engine.train.StepResult;
import io.elaswave.engine.train.TrainConfig;
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
 * {@code elaswave bench frequency}: the clock governor on an unbalanced pipeline of emulated
 * accelerators (default: {@code small} as dp1 × pp4 on four node JVMs of 0.3 cores, whose six
 * blocks split 2 | 2 | 1 | 1 over the stages, G = 32). One job, so every mode runs on the same
 * warm JVMs: after a warm-up the mode alternates off, energy, power-cap in phases of equal length,
 * repeated; power-cap's cap is the mean power measured in the off phase just before it ("the
 * same total power as off"). Each phase is measured over its last steps; every digest is checked
 * against the reference trainer's. Joules are modelled from measured busy and wall time at each
 * node's clock (PowerModel), not metered. Needs root (control groups).
 */
@Command(name = "frequency", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = "The frequency axis on emulated accelerators: governor off vs energy vs power-cap, alternated"
        + " in one job; writes JSON and a Markdown table (root).")
final class FrequencyBench implements Callable<Integer> {
  /**
   * Steps at the end of a phase that are counted: before them the first step still runs under
   * the previous clocks, and the scheduler may judge a plan and halve its slowing (every 3 steps).
   */
  static final int COUNTED = 4;

  @Spec private CommandSpec spec;

  @Option(names = "--model", paramLabel = "NAME", description = "Model (default: small).")
  private String model = "small";

  @Option(names = "--pp", paramLabel = "P", description = "Pipeline stages, one node each (default: 4).")
  private int pp = 4;

  @Option(names = "--cpus", paramLabel = "X", description = "Every node's nominal budget, cores (default: 0.3).")
  private String cpus = "0.3";

  @Option(names = "--micro-batches", paramLabel = "G", description = "Micro-batches per step (default: 32).")
  private int microBatches = 32;

  @Option(names = "--warmup", paramLabel = "N", description = "Steps before the first phase (default: 8).")
  private int warmup = 8;

  @Option(names = "--phase-steps", paramLabel = "N", description = "Steps per phase, the last 4 counted (default: 12).")
  private int phaseSteps = 12;

  @Option(names = "--repeats", paramLabel = "K", description = "Rounds of off, energy, power-cap (default: 3).")
  private int repeats = 3;

  @Option(names = "--out", paramLabel = "FILE", description = "JSON results (default: bench/results/frequency.json).")
  private Path out = Path.of("bench", "results", "frequency.json");

  @Override public Integer call() {
    try {
      io.elaswave.engine.model.ModelConfig.requirePreset(model);
    } catch (IllegalArgumentException e) {
      throw new InputException("--model: " + e.getMessage());
    }
    if (pp < 2 || warmup < 6 || phaseSteps < COUNTED + 2 || repeats < 1 || microBatches < pp) {
      throw new InputException("need --pp >= 2, --warmup >= 6, --phase-steps >= " + (COUNTED + 2)
          + ", --repeats >= 1 and --micro-batches >= --pp");
    }
    PrintWriter term = spec.commandLine().getOut();
    NodeBudgets budgets;
    try {
      budgets = NodeBudgets.parse(List.of(cpus), "--cpus", Runtime.getRuntime().availableProcessors());
      if (budgets.all() == null) {
        throw new IllegalArgumentException("--cpus takes one budget for every node, e.g. 0.3");
      }
    } catch (IllegalArgumentException e) {
      throw new InputException(e.getMessage());
    }
    try {
      io.elaswave.app.launch.BudgetGroups.probe(); // before the reference's minutes: budgets need root
    } catch (java.io.IOException e) {
      throw new InputException("bench frequency needs CPU budgets: " + e.getMessage());
    }
    int steps = warmup + repeats * FrequencyPhases.MODES.size() * phaseSteps;
    TrainConfig config = ElasticBench.custom(model, microBatches, steps);
    Corpus corpus = Corpus.tinyShakespeare();
    Path runs = PolicyBench.runsDir(out);
    term.println("reference trainer: " + steps + " steps of " + model + ", G = " + microBatches);
    List<Long> reference = PolicyBench.reference(config, corpus, runs.resolve("frequency-reference.jsonl")).stream()
        .map(StepResult::digest).toList();
    RuntimeOptions options = RuntimeOptions.builder(1, pp).nodes(pp).ranksPerNode(1).budgets(budgets).build();
    BudgetedRun run = BudgetedRun.run(options, config, corpus, term, new BudgetedRun.Plan(
        runs.resolve("frequency.jsonl"), null, 0, (step, driver, soFar) -> switchMode(step, driver, soFar, term)));
    List<FrequencyPhases.Phase> phases = FrequencyPhases.phases(run, warmup, phaseSteps, repeats, phaseSteps - COUNTED, reference);
    boolean bitwise = phases.stream().allMatch(FrequencyPhases.Phase::bitwise)
        && run.digests.subList(1, warmup + 1).equals(reference.subList(0, warmup));
    String head = String.format(Locale.ROOT, "\"model\": \"%s\", \"emulated\": true, \"joules\": \"modelled\","
        + " \"cpus\": %s, \"dp\": 1, \"pp\": %d, \"microBatches\": %d, \"warmup\": %d, \"phaseSteps\": %d,"
        + " \"counted\": %d, \"repeats\": %d", model, budgets.all().text(), pp, microBatches, warmup, phaseSteps, COUNTED,
        repeats);
    BenchOutput.write(out, FrequencyPhases.json(head, phases, bitwise), term);
    String table = FrequencyPhases.markdown(phases);
    BenchOutput.write(Path.of(out.toString().replaceFirst("\\.json$", "") + ".md"), table, term);
    term.print(table);
    term.println(bitwise ? "every digest equals the reference trainer's" : "DIGESTS DIFFER FROM THE REFERENCE");
    return bitwise ? Main.EXIT_OK : 1;
  }

  /** At the first step of a phase: its mode; power-cap's cap from the off phase of the same repeat. */
  private void switchMode(long step, RuntimeDriver driver, BudgetedRun soFar, PrintWriter term) {
    int p = FrequencyPhases.phaseOf(step, warmup, phaseSteps);
    if (p < 0 || (step - warmup - 1) % phaseSteps != 0) {
      return;
    }
    String mode = FrequencyPhases.MODES.get(p % FrequencyPhases.MODES.size());
    if (mode.equals("power-cap")) {
      int offFirst = warmup + (p - 2) * phaseSteps + 1;
      double joules = 0;
      double seconds = 0;
      for (int s = offFirst + phaseSteps - COUNTED; s < offFirst + phaseSteps; s++) {
        joules += soFar.energyJoules.get(s);
        seconds += soFar.phases.get(s).step() / 1e3;
      }
      mode = String.format(Locale.ROOT, "power-cap=%.1f", joules / seconds);
    }
    term.println("step " + step + ": frequency " + mode);
    driver.setFrequency(mode);
  }
}
