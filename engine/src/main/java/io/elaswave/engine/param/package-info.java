/**
 * Canonical parameter blocks (DESIGN.md §2, §6.6): every layer's flat vector is cut into
 * fixed-size blocks independent of any layout. ZeRO shards, snapshots, norms and digests are
 * made of whole blocks and combined in (layer, block) order, so shard boundaries never change
 * a result.
 */
package io.elaswave.engine.param;
