/**
 * A rank: one stage of one replica. It runs its replica's micro-batches with the 1F1B schedule,
 * folds gradients along the canonical reduction tree, reduces the blocks it owns (ZeRO-1) and
 * applies AdamW to them, then all-gathers parameters through its communicator groups. The pure
 * bookkeeping lives in {@link io.elaswave.actors.rank.StepRun} and
 * {@link io.elaswave.actors.rank.OwnedShard}; the actor routes messages between them.
 */
package io.elaswave.actors.rank;
