package io.elaswave.protocol.runtime;

import io.elaswave.planner.elastic.Transfer;
import io.elaswave.protocol.FloatTensor;

/**
 * One block's state in a re-planning transfer: {@link Transfer.Kind#PARAMS} carries the
 * parameters in {@code first} ({@code second} empty); {@link Transfer.Kind#MOMENTS} carries m in
 * {@code first} and v in {@code second}.
 */
public record MovedBlock(int layer, int block, Transfer.Kind kind, FloatTensor first, FloatTensor second) {}
