package io.elaswave.planner.recovery;

import io.elaswave.planner.Layout;

/**
 * How the job moves after a change of membership: a pure function of the committed layout, the
 * event and what has been measured, giving the next layout, the state transfers it needs and
 * the reason. The scheduler asks its policy and never plans itself, so alternative recovery
 * strategies (the baselines ElasWave is measured against, {@link RecoveryPolicies}) plug in here.
 */
public interface RecoveryPolicy {
  /** The policy's name, as runs and benchmarks report it. */
  String name();

  /**
   * The plan that takes the job from {@code committed} through {@code event}. Throws
   * IllegalArgumentException when the job cannot go on (for example every replica is gone).
   */
  RecoveryPlan plan(Layout committed, MembershipEvent event, Measurements measurements);

  /** Standby ranks every node hosts besides its working ones (ReCycle's stand-ins need one). */
  default int standbyPerNode() {
    return 0;
  }

  /**
   * Once the plan for a loss is installed: the migration to a better-balanced layout to carry
   * out while steps run, if the policy recovered first ({@link io.elaswave.planner.elastic.MigrationPlan}).
   */
  default java.util.Optional<io.elaswave.planner.elastic.MigrationPlan> migrateAfterLoss(Layout installed,
      Measurements measurements) {
    return java.util.Optional.empty();
  }

  /** Whether a change of measured speed alone makes this policy re-plan. */
  default boolean replansForSpeed() {
    return true;
  }
}
