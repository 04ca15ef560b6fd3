/**
 * The training text, its character vocabulary and the batch sampler. A step's samples and their
 * split into micro-batch ids depend only on (seed, step) (DESIGN.md §6.3).
 */
package io.elaswave.engine.data;
