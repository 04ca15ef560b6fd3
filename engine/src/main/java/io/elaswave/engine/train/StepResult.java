package io.elaswave.engine.train;

/** One committed step: mean training loss, model digest after the update, lr and gradient norm. */
public record StepResult(long step, float loss, long digest, float lr, double gradNorm, long tokens) {}
