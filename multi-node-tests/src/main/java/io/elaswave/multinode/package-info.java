/**
 * The multi-JVM harness: it starts node JVMs from the current class path (each one
 * {@code elaswave node}), waits until they are cluster members, drives a job on them from this
 * JVM, can kill any of them with SIGKILL, and stops every child when closed, so a failed test
 * never leaves a JVM behind.
 */
package io.elaswave.multinode;
