package io.elaswave.protocol.runtime;

import io.elaswave.protocol.FloatTensor;

/** The committed parameters of one block, as its owner computed them. */
public record BlockValues(int layer, int block, FloatTensor values) {}
