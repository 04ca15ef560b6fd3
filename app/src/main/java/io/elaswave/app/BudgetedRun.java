package io.elaswave.app;

import io.elaswave.engine.data.Corpus;
import io.elaswave.engine.train.StepResult;
import io.elaswave.engine.train.TrainConfig;
import io.elaswave.protocol.runtime.DriverMessage.StepPhases;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * One benchmark run on node JVMs: every step's wall time (as the driver sees it), tokens and
 * phases, and the events, so a bench can take medians over step ranges. Step numbers are
 * 1-based, as the metrics file writes them.
 */
final class BudgetedRun {
  final List<Double> seconds = new ArrayList<>(List.of(0.0)); // index = step
  final List<StepPhases> phases = new ArrayList<>(List.of(StepPhases.none()));
  final List<Long> digests = new ArrayList<>(List.of(0L));
  final Map<Long, List<RunEvent>> events = new TreeMap<>();
  final long tokensPerStep;

  private BudgetedRun(long tokensPerStep) {
    this.tokensPerStep = tokensPerStep;
  }

  /** Runs {@code config.steps()} steps of the job under {@code options}. */
  static BudgetedRun run(RuntimeOptions options, TrainConfig config, Corpus corpus, PrintWriter term) {
    BudgetedRun r = new BudgetedRun(config.tokensPerStep(config.modelConfig(corpus.vocab().size()).seqLen()));
    try (RuntimeDriver d = RuntimeDriver.start(options, config, null, corpus, term)) {
      for (long s = 1; s <= config.steps(); s++) {
        long t0 = System.nanoTime();
        StepResult result = d.step();
        r.seconds.add((System.nanoTime() - t0) / 1e9);
        r.phases.add(d.phases().orElse(StepPhases.none()));
        r.digests.add(result.digest());
        List<RunEvent> e = d.drainEvents();
        if (!e.isEmpty()) {
          r.events.put(s, e);
        }
      }
    }
    return r;
  }

  /** Median tokens per second over steps [from, to]. */
  double tokensPerSecond(int from, int to) {
    return tokensPerStep / median(from, to, s -> seconds.get(s));
  }

  /** Median over steps [from, to] of a phase, in milliseconds. */
  double phaseMillis(int from, int to, ToDoubleFunction<StepPhases> phase) {
    return median(from, to, s -> phase.applyAsDouble(phases.get(s)));
  }

  /** The first step at which an event of this name was reported, or -1. */
  long firstEvent(String name) {
    return events.entrySet().stream().filter(e -> e.getValue().stream().anyMatch(x -> x.name().equals(name)))
        .mapToLong(Map.Entry::getKey).findFirst().orElse(-1);
  }

  private double median(int from, int to, java.util.function.IntToDoubleFunction f) {
    double[] xs = new double[to - from + 1];
    for (int s = from; s <= to; s++) {
      xs[s - from] = f.applyAsDouble(s);
    }
    Arrays.sort(xs);
    int n = xs.length;
    return n % 2 == 1 ? xs[n / 2] : (xs[n / 2 - 1] + xs[n / 2]) / 2;
  }
}
