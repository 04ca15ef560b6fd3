package io.elaswave.app;

import io.elaswave.engine.data.Corpus;
import io.elaswave.engine.train.StepResult;
import io.elaswave.engine.train.TrainConfig;
import io.elaswave.protocol.runtime.DriverMessage.StepPhases;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * One benchmark run on node JVMs: every commit's wall time (as the driver sees it), tokens, loss,
 * digest and phases, and the events, so a bench can take medians over step ranges. Step numbers
 * are 1-based, as the metrics file writes them; the per-step lists hold each step's last commit
 * (a restart commits some steps twice: {@link #commits} has every one, in order).
 */
final class BudgetedRun {
  /** One commit: its step, time, tokens, loss and digest. */
  record Commit(long step, double seconds, long tokens, float loss, long digest, long atMillis) {}

  /** The job never started (a node lost while it started): nothing was measured; the run may be tried again. */
  static final class StartFailed extends RuntimeException {
    StartFailed(RuntimeException cause) {
      super("the job did not start: " + cause.getMessage(), cause);
    }
  }

  /** What a bench does before a step is asked for (e.g. change the frequency mode). */
  interface BeforeStep {
    void before(long step, RuntimeDriver driver, BudgetedRun soFar);
  }

  /** How to run: where the metrics go (null: nowhere), checkpoints (null dir or 0: none), a hook before each step. */
  record Plan(Path metrics, Path checkpointDir, int checkpointEvery, BeforeStep beforeStep) {
    static final Plan PLAIN = new Plan(null, null, 0);

    Plan(Path metrics, Path checkpointDir, int checkpointEvery) {
      this(metrics, checkpointDir, checkpointEvery, (step, driver, run) -> { });
    }
  }

  final List<Double> seconds = new ArrayList<>(List.of(0.0)); // index = step
  final List<StepPhases> phases = new ArrayList<>(List.of(StepPhases.none()));
  final List<Long> digests = new ArrayList<>(List.of(0L));
  final List<Float> losses = new ArrayList<>(List.of(0f));
  final List<Long> tokens = new ArrayList<>(List.of(0L));
  final List<Commit> commits = new ArrayList<>();
  final List<Double> energyJoules = new ArrayList<>(List.of(0.0)); // index = step; modelled
  final List<List<io.elaswave.protocol.runtime.DriverMessage.RankBusy>> busy = new ArrayList<>(List.of(List.of()));
  final Map<Long, List<RunEvent>> events = new TreeMap<>();
  final long tokensPerStep;
  double wallSeconds;
  /** CPU seconds the node JVMs spent in the steps, each as last seen alive (a killed node up to its last step). */
  double cpuSeconds;

  private BudgetedRun(long tokensPerStep) {
    this.tokensPerStep = tokensPerStep;
  }

  /** Runs {@code config.steps()} steps of the job under {@code options}. */
  static BudgetedRun run(RuntimeOptions options, TrainConfig config, Corpus corpus, PrintWriter term) {
    return run(options, config, corpus, term, Plan.PLAIN);
  }

  /** As {@link #run(RuntimeOptions, TrainConfig, Corpus, PrintWriter)}, writing metrics and checkpoints per plan. */
  static BudgetedRun run(RuntimeOptions options, TrainConfig config, Corpus corpus, PrintWriter term, Plan plan) {
    BudgetedRun r = new BudgetedRun(config.tokensPerStep(config.modelConfig(corpus.vocab().size()).seqLen()));
    Map<Long, Double> cpuByPid = new HashMap<>();
    long begin = System.nanoTime();
    RuntimeDriver started;
    try {
      started = RuntimeDriver.start(options, config, null, corpus, term);
    } catch (RuntimeException e) {
      throw new StartFailed(e);
    }
    try (RuntimeDriver d = started;
        MetricsWriter metrics = plan.metrics() == null ? MetricsWriter.none() : MetricsWriter.open(plan.metrics(),
            false)) {
      d.drainEvents().forEach(metrics::event);
      Map<Long, Double> cpuAtStart = d.nodeCpuSeconds(); // booting is not training
      while (d.committedSteps() < config.steps()) {
        plan.beforeStep().before(d.committedSteps() + 1, d, r);
        long t0 = System.nanoTime();
        StepResult result = d.step();
        long nanos = System.nanoTime() - t0;
        List<RunEvent> e = d.drainEvents();
        e.forEach(metrics::event);
        metrics.step(result, nanos, d);
        r.add(result, nanos / 1e9, d.phases().orElse(StepPhases.none()), e);
        d.lastCommit().ifPresent(c -> {
          r.energyJoules.set((int) result.step(), c.energyJoules());
          r.busy.set((int) result.step(), c.busy());
        });
        cpuByPid.putAll(d.nodeCpuSeconds());
        if (plan.checkpointDir() != null && plan.checkpointEvery() > 0 && result.step() % plan.checkpointEvery() == 0) {
          Path dir = d.writeCheckpoint(plan.checkpointDir());
          metrics.checkpoint(result.step(), dir);
        }
      }
      cpuByPid.forEach((pid, cpu) -> r.cpuSeconds += cpu - cpuAtStart.getOrDefault(pid, 0.0));
    }
    r.wallSeconds = (System.nanoTime() - begin) / 1e9;
    return r;
  }

  private void add(StepResult result, double s, StepPhases p, List<RunEvent> e) {
    int step = (int) result.step();
    while (seconds.size() <= step) {
      seconds.add(0.0);
      phases.add(StepPhases.none());
      digests.add(0L);
      losses.add(0f);
      tokens.add(0L);
      energyJoules.add(0.0);
      busy.add(List.of());
    }
    seconds.set(step, s);
    phases.set(step, p);
    digests.set(step, result.digest());
    losses.set(step, result.loss());
    tokens.set(step, result.tokens());
    commits.add(new Commit(step, s, result.tokens(), result.loss(), result.digest(), System.currentTimeMillis()));
    if (!e.isEmpty()) {
      events.computeIfAbsent(result.step(), k -> new ArrayList<>()).addAll(e);
    }
  }

  /** Median tokens per second over steps [from, to] (each step's own tokens: a shrunk batch counts less). */
  double tokensPerSecond(int from, int to) {
    return median(from, to, s -> tokens.get(s) / seconds.get(s));
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

  /** Every event of the run, in order. */
  List<RunEvent> allEvents() {
    return events.values().stream().flatMap(List::stream).toList();
  }

  /** Tokens committed in all (steps run twice count twice), for CPU seconds per token. */
  long tokensCommitted() {
    return commits.stream().mapToLong(Commit::tokens).sum();
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
