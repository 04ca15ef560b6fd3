package io.elaswave.app;

import io.elaswave.engine.param.Digest;
import io.elaswave.engine.train.StepResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Human progress on stdout: a header, step lines, eval and checkpoint lines and a summary. Runs
 * of at most {@value #EVERY_STEP_UP_TO} steps print every step; longer ones print the first and
 * last step and otherwise at most one line per second, so logs of long runs stay readable.
 */
public final class ProgressReporter {
  static final int EVERY_STEP_UP_TO = 50;
  private static final long LINE_INTERVAL_NANOS = 1_000_000_000L;

  private final PrintWriter out;
  private final LongSupplier clock;
  private final long firstStep;
  private final long lastStep;
  private final boolean everyStep;
  private long startNanos;
  private long lastLineNanos;
  private long windowTokens;
  private long windowStepNanos;

  ProgressReporter(PrintWriter out, LongSupplier clock, long firstStep, long lastStep) {
    this.out = out;
    this.clock = clock;
    this.firstStep = firstStep;
    this.lastStep = lastStep;
    this.everyStep = lastStep - firstStep <= EVERY_STEP_UP_TO;
    this.startNanos = clock.getAsLong();
    this.lastLineNanos = startNanos;
  }

  /** Prints the run's header and starts the clock for throughput and ETA. */
  void start(String description) {
    line(description);
    startNanos = clock.getAsLong();
    lastLineNanos = startNanos;
  }

  void resumed(long step, Path from) {
    line("resumed at step " + step + " from " + MetricsWriter.display(from));
  }

  void step(StepResult r, long stepNanos) {
    windowTokens += r.tokens();
    windowStepNanos += stepNanos;
    long now = clock.getAsLong();
    boolean due = everyStep || r.step() == firstStep + 1 || r.step() >= lastStep
        || now - lastLineNanos >= LINE_INTERVAL_NANOS;
    if (!due) {
      return;
    }
    // ETA from wall time per step so far: it includes evaluation and checkpoint overhead.
    double nanosPerStep = (double) (now - startNanos) / (r.step() - firstStep);
    long eta = Math.round(nanosPerStep * Math.max(0, lastStep - r.step()));
    line(String.format(Locale.ROOT, "step %d/%d  loss %.4f  lr %.2e  %.0f tok/s  ETA %s", r.step(), lastStep,
        r.loss(), r.lr(), windowTokens / (Math.max(windowStepNanos, 1) / 1e9), duration(eta)));
    lastLineNanos = now;
    windowTokens = 0;
    windowStepNanos = 0;
  }

  void event(RunEvent e) {
    line(e.describe());
  }

  void eval(long step, float valLoss) {
    line(String.format(Locale.ROOT, "eval step %d  val loss %.4f", step, valLoss));
  }

  void checkpoint(long step, Path dir) {
    line("checkpoint step " + step + "  " + MetricsWriter.display(dir));
  }

  void summary(RunSummary s) {
    String steps = s.firstStep() == 0
        ? s.stepsRun() + " steps"
        : "step " + s.lastStep() + " (" + s.stepsRun() + " steps after resuming at step " + s.firstStep() + ")";
    line("done: " + steps + " in " + duration(s.wallNanos()));
    line(String.format(Locale.ROOT, "  train loss  %s", s.stepsRun() > 0 ? fixed4(s.loss()) : "-"));
    line(String.format(Locale.ROOT, "  val loss    %s", fixed4(s.valLoss())));
    line(String.format(Locale.ROOT, "  tokens/s    %s", s.stepsRun() > 0 ? String.format(Locale.ROOT, "%.0f",
        s.tokensPerSec()) : "-"));
    line("  digest      " + Digest.hex(s.digest()));
  }

  /** {@code 0.4s}, {@code 42s}, {@code 3m41s}, {@code 2h05m}. */
  public static String duration(long nanos) {
    double seconds = nanos / 1e9;
    if (seconds < 10) {
      return String.format(Locale.ROOT, "%.1fs", seconds);
    }
    long s = Math.round(seconds);
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
    return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
  }

  private static String fixed4(float v) {
    return String.format(Locale.ROOT, "%.4f", v);
  }

  private void line(String text) {
    out.println(text);
    out.flush();
  }
}
