/**
 * The single-threaded reference trainer, the oracle of every distributed run, and the pieces
 * it shares with the runtime: stage passes over a layer range, the optimizer step over
 * canonical blocks, evaluation, sampling and durable checkpoints.
 */
package io.elaswave.engine.train;
