package io.elaswave.protocol.runtime;

/** Σ g² of one block's reduced gradient; the scheduler folds these in canonical order. */
public record BlockNorm(int layer, int block, double sumOfSquares) {}
