/**
 * Counter-based randomness (DESIGN.md §6.2): every random number is a pure hash of its key
 * (seed, purpose, step, global sample id, layer, element), so no rank ever owns a stream and
 * any rank can regenerate any value.
 */
package io.elaswave.engine.rng;
