/**
 * The canonical reduction tree over micro-batch ids (DESIGN.md §6.5): the step gradient is the
 * sum over ids 0..G−1 along one fixed binary tree, so any split of the ids into contiguous
 * ranges, each sending the sums of the tree nodes that lie wholly inside it, yields the same
 * bits.
 */
package io.elaswave.engine.reduce;
