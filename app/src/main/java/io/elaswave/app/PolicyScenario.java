package io.elaswave.app;

import io.elaswave.protocol.fault.Fault;
import java.util.List;
import java.util.Locale;

/**
 * A scenario of {@code bench policies}: dp2 × pp4 on eight node JVMs with equal budgets, one
 * fault at step {@code faultAt} on node-5 (stage 1 of replica 1) and, for {@code join}, a ninth
 * node joining {@code JOIN_AFTER} steps later. Throughput "after" is the median over
 * [{@link #afterFrom}, steps]; {@link #theory} is what each policy should reach relative to
 * before the fault, from the shape alone.
 */
record PolicyScenario(String name, int dp, int pp, int microBatches, int steps, int faultAt, double cpus) {
  static final List<String> NAMES = List.of("kill", "join", "slow");
  static final String VICTIM = "node-5";
  static final int JOIN_AFTER = 8;

  PolicyScenario {
    if (!NAMES.contains(name)) {
      throw new IllegalArgumentException("--scenario must be one of " + String.join(", ", NAMES) + ", got '" + name
          + "'");
    }
    if (faultAt < 8 || steps < afterFrom(name, faultAt) + 8) {
      throw new IllegalArgumentException("need --fault-at >= 8 and --steps >= " + (afterFrom(name, Math.max(8, faultAt))
          + 8) + " for scenario " + name);
    }
  }

  int nodes() {
    return dp * pp;
  }

  /** The fault script: the victim killed, or slowed to half its budget. */
  List<Fault> faults() {
    return name.equals("slow") ? List.of(new Fault.Slow(VICTIM, faultAt, cpus / 2))
        : List.of(new Fault.Kill(VICTIM, faultAt));
  }

  /** Steps before which a node joins: for {@code join}, {@code JOIN_AFTER} steps after the kill. */
  List<Long> joinAt() {
    return name.equals("join") ? List.of((long) faultAt + JOIN_AFTER) : List.of();
  }

  /** The first step of the "after" window: past the change and the steps it disturbs. */
  int afterFrom() {
    return afterFrom(name, faultAt);
  }

  private static int afterFrom(String name, int faultAt) {
    return switch (name) {
      case "join" -> faultAt + JOIN_AFTER + 3;
      case "slow" -> faultAt + 8; // speed is measured over several steps before a re-plan
      default -> faultAt + 3;
    };
  }

  /** The first step of the "before" window: past JIT warm-up. */
  int beforeFrom() {
    return Math.min(6, faultAt - 2);
  }

  /**
   * Throughput after the change over throughput before, for {@code policy}, from the shape
   * alone (m = G/dp micro-batches a replica, p stages): see {@link #theoryFormula}.
   */
  double theory(String policy) {
    double m = (double) microBatches / dp;
    double p = pp;
    double oneStageDoubled = (m + p - 1) / (2 * m + p - 1); // a node doing two stages' work, no bubble absorbed
    return switch (name) {
      case "join" -> 1.0;
      case "slow" -> policy.equals("elaswave") ? (dp - 1 + (p - 0.5) / p) / dp : oneStageDoubled;
      default -> switch (policy) {
        case "elaswave" -> (dp * p - 1) / (dp * p);
        case "recycle" -> oneStageDoubled;
        default -> (dp - 1.0) / dp; // torchft drops the replica; restart keeps ⌊ranks / pp⌋ replicas
      };
    };
  }

  /** How {@link #theory} was reckoned, for the table. */
  String theoryFormula(String policy) {
    return switch (name) {
      case "join" -> "back to the full shape after the join";
      case "slow" -> policy.equals("elaswave")
          ? "micro-batches and layers moved off the half-speed node: ((dp-1) + (p-1/2)/p)/dp"
          : "no re-plan: the half-speed stage paces its replica and the step, (m+p-1)/(2m+p-1)";
      default -> switch (policy) {
        case "elaswave" -> "7 of 8 accelerators at work, batch kept: (dp*p-1)/(dp*p)";
        case "recycle" -> String.format(Locale.ROOT, "the peer's node runs two stages, no bubble absorbed:"
            + " (m+p-1)/(2m+p-1), m=%d", microBatches / dp);
        case "torchft" -> "one replica of two trains, on its own ids: (dp-1)/dp";
        default -> "restarted as dp1 on the survivors: floor(7/p)/dp";
      };
    };
  }
}
