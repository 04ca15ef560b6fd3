/**
 * One guardian per JVM: it offers the node's room to the scheduler, spawns the ranks it is
 * given (each with its tensor inbox) and stops them when the job ends. {@link
 * io.elaswave.actors.node.NodeSystem} builds a node's actor system from its settings.
 */
package io.elaswave.actors.node;
