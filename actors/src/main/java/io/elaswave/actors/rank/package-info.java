/**
 * A rank: one stage of one replica. It runs its replica's micro-batches with the 1F1B schedule,
 * folds gradients along the canonical reduction tree, reduces the blocks it owns (ZeRO-1) and
 * applies AdamW to them, then all-gathers parameters through its communicator groups.
 *
 * <p>{@link io.elaswave.actors.rank.Rank} only routes messages; one piece per concern does the
 * work, all sharing one {@code RankState} and moving it through the phases of {@code RankPhase}
 * (Unplaced, Idle, Stepping, Reconfiguring):
 * <ul>
 *   <li>{@code DataGate}: a pure rule deciding whether a peer's tensor is dropped (stale), held
 *       until the rank gets there, or delivered; and the buffer of held ones, replayed on progress.
 *   <li>{@code PipelineStage}: 1F1B forward/backward on the held layers and the reduce-scatter of
 *       reduction-tree node sums ({@code StepRun} is the step's bookkeeping).
 *   <li>{@code ShardUpdate}: reduction and norms of owned blocks ({@code OwnedShard}), AdamW,
 *       all-gather, peers' blocks, StepDone; the rollback point ({@code RollbackPoint}).
 *   <li>{@code BuddySnapshot}: replication of owned state to the buddy and, as buddy, the
 *       {@code SnapshotPool} of others' snapshots.
 *   <li>{@code Reconfiguration}: taking a layout — roll back, transfers, digest checks, install,
 *       and undoing a change the scheduler replaced before committing it.
 *   <li>{@code LayerGroups}: the per-layer communicator group children, edited in place.
 *   <li>{@code RankFaults}: faults armed for fault-injection runs (error in backward, hang).
 * </ul>
 */
package io.elaswave.actors.rank;
