/**
 * The runtime on Pekko: one actor per rank, a communicator group per layer a rank holds, a node
 * guardian per JVM that supervises its ranks, and the scheduler, a cluster singleton that runs
 * each step as a transaction (run, collect within a deadline, commit or abort) and re-plans on
 * every loss it detects. Actors route messages and keep state; the numerics come from
 * {@code engine} and every plan from a {@code planner} recovery policy. The message sequences
 * are in docs/protocol.md.
 */
package io.elaswave.actors;
