package io.elaswave.sim;

import java.util.List;

/**
 * What a simulated job achieved. {@code ettr}, the effective training time ratio: the tokens
 * committed (and kept) over what the failure-free job would have committed in the same wall time,
 * so lost steps, downtime, slower degraded layouts and a smaller batch all count against it;
 * {@code goodput} the same as tokens/s. {@code mttr} summarises fault → training running again
 * (seconds) over the failures; {@code stepsRedone} counts work lost and done again (the step in
 * flight, or every step since the checkpoint), in steps; {@code shortBatchSteps} the committed
 * steps that trained less than the global batch (TorchFT's dynamic world size: steps a
 * failure-free run never takes); {@code degradedSeconds} the time spent training more than 1%
 * slower than nominal or on a smaller batch, {@code downSeconds} the time not training at all;
 * {@code plannerMillis} the planner's wall time per event (each failure and repair).
 * {@code slowdowns} counts the episodes of a node turning slow ({@link SlowdownModel}) and
 * {@code speedReplans} the re-plans for speed they (and their ends) earned.
 * {@code days} samples the ETTR so far at the end of each simulated day.
 */
public record SimResult(String policy, String model, int accelerators, int dp, int pp, int microBatches,
    double simulatedDays, long seed, double nominalStepSeconds, double nominalTokensPerSecond, int failures,
    int repairs, int stalls, int slowdowns, int speedReplans, double ettr, double goodput, long committedSteps, long shortBatchSteps, double stepsRedone,
    double degradedSeconds, double downSeconds, Percentiles mttr, Percentiles plannerMillis, List<Double> days) {
  public SimResult {
    days = List.copyOf(days);
  }
}
