/**
 * The decoder-only transformer as a list of layers (embedding, blocks, head), each with its own
 * flat parameter vector and a forward/backward on one micro-batch. Any contiguous range of
 * layers can run as a pipeline stage: it takes activations in and gives activation gradients
 * back.
 */
package io.elaswave.engine.model;
