/**
 * Re-planning after a change of membership (DESIGN.md §5.3), as pure functions of the old
 * layout, the event and the measurements. Graph resharding re-partitions only a hit replica over
 * its survivors; dataflow resharding re-splits micro-batch ids by replica speed with G unchanged;
 * ZeRO moves only blocks whose owner left their layer; transfers say who sends which block's
 * parameters or moments to whom, from live state or from a snapshot buddy.
 */
package io.elaswave.planner.elastic;
