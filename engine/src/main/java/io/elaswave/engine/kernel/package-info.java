/**
 * Float32 kernels. Every output is a fixed-order function of its inputs (DESIGN.md §6.1): a sum
 * always runs over its index in increasing order as a chain of exactly-rounded fused
 * multiply-adds, whatever the vector width, JIT tier or caller. Speed comes from computing many
 * independent outputs at once (register tiles over outputs), never from reordering a sum; each
 * fast kernel has a plain reference twin and a test that they agree bit for bit.
 *
 * <p>Arrays are flat, row-major, outputs first in every signature, shapes in comments.
 */
package io.elaswave.engine.kernel;
