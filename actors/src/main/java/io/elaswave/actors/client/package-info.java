/**
 * The driver's side of a job: a blocking client that starts a job on the cluster, runs one step
 * at a time, collects the full training state (for evaluation and checkpoints) and stops the
 * job. It runs in any member, worker or not, and reaches the scheduler through its singleton
 * proxy.
 */
package io.elaswave.actors.client;
