package io.elaswave.planner.recovery;

import java.util.List;

/** The recovery policies a job can run under, by name ({@code train --policy}). */
public final class RecoveryPolicies {
  /** The names, default first. */
  public static final List<String> NAMES = List.of("elaswave", "torchft", "recycle", "restart");

  private RecoveryPolicies() {}

  /** The policy called {@code name}; IllegalArgumentException naming the choices for any other. */
  public static RecoveryPolicy named(String name) {
    return named(name, io.elaswave.planner.elastic.MigrationPlan.Mode.BACKGROUND);
  }

  /** As {@link #named(String)}, ElasWave's carrying out re-partitions after a loss in {@code migration} mode. */
  public static RecoveryPolicy named(String name, io.elaswave.planner.elastic.MigrationPlan.Mode migration) {
    return switch (name) {
      case "elaswave" -> new ElasWavePolicy(migration);
      case "torchft" -> new TorchFtPolicy();
      case "recycle" -> new RecyclePolicy();
      case "restart" -> new RestartPolicy();
      default -> throw new IllegalArgumentException("unknown policy '" + name + "', choose one of "
          + String.join(", ", NAMES));
    };
  }
}
