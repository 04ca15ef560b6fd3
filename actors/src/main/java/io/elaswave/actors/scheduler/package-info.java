/**
 * The scheduler, a cluster singleton on the worker role: it places ranks on nodes, plans the
 * layout, and runs each step as a transaction — RunStep to every rank, collect the loss and
 * the per-block gradient norms, ApplyUpdate with the clip factor, collect every rank's digests,
 * commit. The driver paces it one step at a time.
 */
package io.elaswave.actors.scheduler;
