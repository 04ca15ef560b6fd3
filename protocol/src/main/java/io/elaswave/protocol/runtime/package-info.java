/**
 * The runtime's actor protocols, one file per actor: the node guardian, the rank (control and
 * data path), its communicator groups, the scheduler and the driver that paces a job. Messages
 * are records; every data-path message carries the layout epoch it was sent under, and a
 * receiver drops (and counts) any message from another epoch. {@code replyTo} comes last.
 */
package io.elaswave.protocol.runtime;
