package io.elaswave.protocol.runtime;

import io.elaswave.protocol.FloatTensor;

/** One block's full training state: parameters and both AdamW moments. */
public record StateBlock(int layer, int block, FloatTensor params, FloatTensor m, FloatTensor v) {}
