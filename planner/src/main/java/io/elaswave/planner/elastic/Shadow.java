package io.elaswave.planner.elastic;

import io.elaswave.planner.RankId;

/**
 * During a background migration: {@code holder}, which will hold the layer after the switch,
 * keeps a copy of block {@code layer}/{@code block} (parameters and moments) that {@code owner}
 * advances every step (its full state once, then its reduced gradient to replay).
 */
public record Shadow(RankId owner, RankId holder, int layer, int block) {}
