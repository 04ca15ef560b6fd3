package io.elaswave.planner.schedule;

import java.util.ArrayList;
import java.util.List;

/**
 * The 1F1B pipeline schedule (PipeDream-flush / Megatron) for one stage, built in its three
 * visible phases: warm-up forwards that fill the pipeline, a steady phase alternating one
 * forward with one backward, and a cool-down of the remaining backwards. Stage s of P keeps at
 * most P − s micro-batches in flight, which bounds its stored activations.
 */
public final class OneFOneBSchedule {
  private OneFOneBSchedule() {}

  /**
   * The operations of stage {@code stage} (0-based) of {@code stages}, for micro-batch ids
   * {@code [firstId, firstId + count)} processed in increasing order.
   */
  public static List<PipelineOp> forStage(int stage, int stages, int firstId, int count) {
    if (stages < 1 || stage < 0 || stage >= stages) {
      throw new IllegalArgumentException("stage " + stage + " is not in [0, " + stages + ")");
    }
    if (count < 0 || firstId < 0) {
      throw new IllegalArgumentException("micro-batch range must be non-negative");
    }
    int warmup = Math.min(stages - stage - 1, count);
    List<PipelineOp> ops = new ArrayList<>(2 * count);
    int nextForward = firstId;
    int nextBackward = firstId;
    int end = firstId + count;
    for (int i = 0; i < warmup; i++) { // warm-up
      ops.add(PipelineOp.forward(nextForward++));
    }
    while (nextForward < end) { // steady: one forward, one backward
      ops.add(PipelineOp.forward(nextForward++));
      ops.add(PipelineOp.backward(nextBackward++));
    }
    while (nextBackward < end) { // cool-down
      ops.add(PipelineOp.backward(nextBackward++));
    }
    return List.copyOf(ops);
  }

  /** The most micro-batches whose forward has run but whose backward has not, at any point. */
  public static int peakInFlight(List<PipelineOp> ops) {
    int inFlight = 0;
    int peak = 0;
    for (PipelineOp op : ops) {
      inFlight += op.kind() == PipelineOp.Kind.FORWARD ? 1 : -1;
      peak = Math.max(peak, inFlight);
    }
    return peak;
  }
}
