package io.elaswave.planner;

/**
 * No partition satisfies the constraints (typically the memory cap). A subtype of
 * {@link IllegalArgumentException} so ordinary validation handling applies, and a type of its own
 * so the elastic path can tell "cannot fit" from a bad request and fall back to another policy.
 */
public final class InfeasiblePartitionException extends IllegalArgumentException {
  public InfeasiblePartitionException(String message) {
    super(message);
  }
}
