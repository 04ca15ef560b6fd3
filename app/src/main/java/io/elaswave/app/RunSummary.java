package io.elaswave.app;

/**
 * The outcome of one invocation's training loop. {@code firstStep} is where it started (0, or
 * the resumed checkpoint's step); {@code loss} is NaN when no step ran. Throughput counts step
 * time only, so evaluation and checkpoint writes do not dilute it.
 */
record RunSummary(
    long firstStep, long lastStep, float loss, float valLoss, long digest, long wallNanos, long stepNanos,
    long tokens) {

  long stepsRun() {
    return lastStep - firstStep;
  }

  double seconds() {
    return wallNanos / 1e9;
  }

  double tokensPerSec() {
    return stepNanos > 0 ? tokens / (stepNanos / 1e9) : Double.NaN;
  }
}
