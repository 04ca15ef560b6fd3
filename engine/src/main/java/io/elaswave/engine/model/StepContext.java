package io.elaswave.engine.model;

/** What a forward pass needs besides weights and data: the keys of its randomness and the mode. */
public record StepContext(long seed, long step, boolean training) {
  public static StepContext eval(long seed) {
    return new StepContext(seed, 0, false);
  }
}
