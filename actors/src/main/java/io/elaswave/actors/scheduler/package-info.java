/**
 * The scheduler, a cluster singleton on the worker role, as message routes ({@code Scheduler})
 * over one part per concern: {@code JobStarter} places ranks, plans, spawns, has every rank adopt
 * the first layout and loads a checkpoint; {@code StepCoordinator} runs each step as a
 * transaction — RunStep, every loss and block norm, ApplyUpdate with the clip factor, every
 * rank's digests, CommitStep in the ledger, StepCommitted to the driver; {@code StepWatch} holds
 * the step's deadline and probes the ranks that have not finished; {@code Liveness} turns
 * heartbeats, death checks, membership events and failed ranks into losses; {@code Replanner}
 * asks the {@link io.elaswave.planner.recovery.RecoveryPolicy} for the next layout and moves every
 * rank to it; {@code TakeOver} rebuilds a job from the ledger after a fail-over; {@code
 * LedgerWriter} acts only on what the ledger holds. The job's phase is a sealed
 * {@code JobPhase}. The driver paces it one step at a time.
 */
package io.elaswave.actors.scheduler;
