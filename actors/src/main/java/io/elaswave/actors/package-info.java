/**
 * The runtime on Pekko: one actor per rank, a communicator group per layer a rank holds, a node
 * guardian per JVM, and the scheduler, a cluster singleton that runs each step as a transaction
 * (run, collect within the step, commit). Actors route messages and keep state; the numerics
 * come from {@code engine} and the plans from {@code planner}.
 */
package io.elaswave.actors;
