/**
 * The simulator: a training job of thousands of accelerators over weeks, in simulated time. A
 * {@link io.elaswave.sim.ModelPreset} gives the model's layers and costs, a {@link
 * io.elaswave.sim.Hardware} the nodes, links and fixed recovery costs, a {@link
 * io.elaswave.sim.FailureModel} when nodes fail and come back; {@link io.elaswave.sim.Simulation}
 * runs the job, asking the runtime's own {@code RecoveryPolicy} (planner module) for the next
 * layout on every failure and repair, timing it, and modelling the transfers its plan needs from
 * bytes over bandwidth. Pure Java: no Pekko, no I/O.
 */
package io.elaswave.sim;
