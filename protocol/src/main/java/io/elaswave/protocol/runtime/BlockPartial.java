package io.elaswave.protocol.runtime;

import io.elaswave.protocol.FloatTensor;

/** The gradient sum of micro-batch ids [lo, hi) (one reduction-tree node) for one block. */
public record BlockPartial(int layer, int block, int lo, int hi, FloatTensor sum) {}
