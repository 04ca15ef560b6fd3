/**
 * AdamW with decoupled weight decay, global-norm clipping and the learning-rate schedule. The
 * update is elementwise and the norm is summed per canonical block then combined in (layer,
 * block) order, so updating block by block on different owners gives the same bits as updating
 * everything at once (DESIGN.md §6.6–6.7).
 */
package io.elaswave.engine.optim;
