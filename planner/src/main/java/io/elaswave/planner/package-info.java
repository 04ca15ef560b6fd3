/**
 * Pure planning (DESIGN.md §3, §5): which rank holds which layers of which replica, which replica
 * runs which micro-batch ids, and which rank owns which ZeRO block, as one immutable
 * {@link io.elaswave.planner.Layout} stamped with an epoch and the reason it was made. Planners
 * are functions from their inputs to a layout, nothing here keeps state or imports Pekko, and
 * every layout is checked against its invariants when it is built, so the runtime can take one
 * from a message or the ledger and trust it.
 */
package io.elaswave.planner;
