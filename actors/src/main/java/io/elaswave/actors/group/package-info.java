/**
 * Communicator groups: one actor per layer a rank holds, keeping that layer's data-parallel
 * member table (one holder per replica) and its block owners under an epoch. Edits change the
 * table in place; collectives send tensors straight from the local rank to each peer's inbox, so
 * data never takes an extra hop through another node.
 */
package io.elaswave.actors.group;
