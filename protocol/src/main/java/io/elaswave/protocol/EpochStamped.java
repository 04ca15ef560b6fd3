package io.elaswave.protocol;

/**
 * A data-path message stamped with the plan epoch it was sent under (DESIGN.md §2). A receiver
 * that has moved to a newer epoch drops it: whatever it belonged to was abandoned by the re-plan.
 */
public interface EpochStamped {
  /** The epoch of the layout this message was produced under. */
  long epoch();
}
