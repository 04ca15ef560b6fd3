package io.elaswave.actors.rank;

import io.elaswave.protocol.runtime.SchedulerMessage.ComputeReport;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * Times one step on a rank: each layer's forward and backward (wall time, so a throttled or
 * slowed node shows as slow), the bytes each forward keeps from its model's arena (its
 * activations: {@link io.elaswave.engine.model.Arena#heldBytes}), and the marks between the step's phases. Measuring never touches the
 * arithmetic: the layers run in the same order on the same arrays.
 */
final class ComputeMeter {
  private static final List<GarbageCollectorMXBean> GCS = ManagementFactory.getGarbageCollectorMXBeans();

  private final int layerFrom;
  private final int microBatches;
  private final long[] forwardNanos;
  private final long[] backwardNanos;
  private final long[] activationBytes;
  private final long startNanos = System.nanoTime();
  private final long startGcMillis = gcMillis();
  private long computeDone;
  private long applyAt;
  private long updated;

  ComputeMeter(int layerFrom, int layerTo, int microBatches) {
    this.layerFrom = layerFrom;
    this.microBatches = microBatches;
    this.forwardNanos = new long[layerTo - layerFrom];
    this.backwardNanos = new long[layerTo - layerFrom];
    this.activationBytes = new long[layerTo - layerFrom];
  }

  /** A mark to pass to {@link #forwardDone} or {@link #backwardDone}. */
  static long now() {
    return System.nanoTime();
  }

  /** A layer's forward is done: its time, and the arena bytes it kept (held after minus before). */
  void forwardDone(int layer, long startNanos, long heldBefore, long heldAfter) {
    forwardNanos[layer - layerFrom] += System.nanoTime() - startNanos;
    activationBytes[layer - layerFrom] = Math.max(activationBytes[layer - layerFrom], heldAfter - heldBefore);
  }

  void backwardDone(int layer, long startNanos) {
    backwardNanos[layer - layerFrom] += System.nanoTime() - startNanos;
  }

  void markComputeDone() {
    computeDone = System.nanoTime();
  }

  void markApply() {
    applyAt = System.nanoTime();
  }

  void markUpdated() {
    updated = System.nanoTime();
  }

  /** The report, as the step ends now on a node at {@code clock}. */
  ComputeReport report(double clock) {
    long end = System.nanoTime();
    long c = computeDone == 0 ? end : computeDone;
    long a = applyAt == 0 ? c : applyAt;
    long u = updated == 0 ? a : updated;
    return new ComputeReport(layerFrom, microBatches, forwardNanos.clone(), backwardNanos.clone(),
        activationBytes.clone(), (c - startNanos) / 1000, (a - c) / 1000, (u - a) / 1000, (end - u) / 1000,
        gcMillis() - startGcMillis, clock);
  }

  private static long gcMillis() {
    long sum = 0;
    for (GarbageCollectorMXBean gc : GCS) {
      sum += Math.max(0, gc.getCollectionTime());
    }
    return sum;
  }
}
