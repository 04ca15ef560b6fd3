/**
 * Recovery policies (DESIGN.md §3, §5): {@code (committed layout, event, measurements) → plan
 * with its reason}. {@link io.elaswave.planner.recovery.ElasWavePolicy} is the runtime's; the
 * baselines it is measured against plug in behind the same
 * {@link io.elaswave.planner.recovery.RecoveryPolicy} seam.
 */
package io.elaswave.planner.recovery;
