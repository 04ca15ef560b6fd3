package io.elaswave.protocol.runtime;

/** The digest of one block's parameters after a step. */
public record BlockDigest(int layer, int block, long digest) {}
