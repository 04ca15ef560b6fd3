/**
 * The deterministic numerics core of elaswave: kernels, model layers, AdamW, data and the
 * counter-based random generator, plus the single-threaded reference trainer that every
 * distributed run is compared with, bit for bit. Nothing here imports Pekko; every result
 * depends only on its inputs (DESIGN.md §6).
 */
package io.elaswave.engine;
