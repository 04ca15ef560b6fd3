package io.elaswave.engine.model;

import java.util.List;

/**
 * One pipeline-partitionable layer. Forward maps an input activation to an output activation
 * (the embedding reads tokens instead of an input; the head's output is the loss of each
 * position). Backward maps the output gradient to the input gradient and adds the parameter
 * gradient into {@code dParams}.
 */
public interface Layer {
  /** Position in the model, 0 = embedding. Keys init and dropout randomness. */
  int index();

  String kind();

  List<ParamTensor> tensors();

  /** Elements of the flat parameter vector. */
  default int paramCount() {
    List<ParamTensor> t = tensors();
    return t.isEmpty() ? 0 : t.get(t.size() - 1).end();
  }

  /** Activations this layer takes in, per micro-batch row (0 for the embedding). */
  int inputWidth();

  /** Activations this layer gives out, per row (1 for the head: the loss). */
  int outputWidth();

  /** output (and what backward needs) from input[R, inputWidth]. */
  Forward forward(float[] params, float[] input, MicroBatch batch, StepContext ctx);

  /** Returns dInput[R, inputWidth] (null for the embedding); dParams += this batch's gradient. */
  float[] backward(float[] params, float[] dParams, float[] dOutput, MicroBatch batch, Forward saved);

  /**
   * Gives back to the model's arena what a forward took and no backward will: for forwards run
   * without a backward (evaluation, sampling). Backward gives its forward's arrays back itself.
   */
  default void release(Forward forward) {}

  /** A forward result: the output activation and the layer's private saved state. */
  record Forward(float[] output, Object saved) {}
}
