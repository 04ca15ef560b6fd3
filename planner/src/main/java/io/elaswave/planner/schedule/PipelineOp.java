package io.elaswave.planner.schedule;

/** One unit of stage work: the forward or the backward of one micro-batch id. */
public record PipelineOp(Kind kind, int microBatch) {
  /** Forward runs the stage's layers on an activation; backward returns its gradient. */
  public enum Kind { FORWARD, BACKWARD }

  public static PipelineOp forward(int microBatch) {
    return new PipelineOp(Kind.FORWARD, microBatch);
  }

  public static PipelineOp backward(int microBatch) {
    return new PipelineOp(Kind.BACKWARD, microBatch);
  }

  @Override public String toString() {
    return (kind == Kind.FORWARD ? "F" : "B") + microBatch;
  }
}
