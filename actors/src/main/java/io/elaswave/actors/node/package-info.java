/**
 * One guardian per JVM: it offers the node's room to the scheduler in a heartbeat that lists its
 * ranks, spawns the ranks it is given (each with its tensor inbox), supervises them — a rank
 * whose actor fails is reported to the scheduler at once — and stops one or all of them when
 * told. {@link io.elaswave.actors.node.NodeSystem} builds a node's actor system from its settings.
 */
package io.elaswave.actors.node;
