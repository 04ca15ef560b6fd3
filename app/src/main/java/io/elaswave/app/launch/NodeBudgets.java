package io.elaswave.app.launch;

import io.elaswave.protocol.fault.FaultParser;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The CPU budgets of a run's node JVMs: one for every node ({@code all}, null for none) and
 * overrides by node name. A node with neither runs without a control group.
 *
 * @param all the budget of every node not named in {@code byNode}, or null
 * @param byNode budgets of single nodes, by canonical name {@code node-<i>}
 */
public record NodeBudgets(CpuBudget all, Map<String, CpuBudget> byNode) {
  /** No budgets: every node runs unlimited, in no group. */
  public static final NodeBudgets NONE = new NodeBudgets(null, Map.of());

  public NodeBudgets {
    byNode = Collections.unmodifiableMap(new LinkedHashMap<>(byNode)); // in the order given, for describe()
  }

  /**
   * Reads the values of a repeatable flag: {@code X} for every node, {@code NODE=X} (node-2=0.2
   * or 2=0.2) for one; the last value for a node wins.
   *
   * @throws IllegalArgumentException in one line naming {@code flag}
   */
  public static NodeBudgets parse(List<String> values, String flag, int cores) {
    CpuBudget all = null;
    Map<String, CpuBudget> byNode = new LinkedHashMap<>();
    for (String value : values) {
      int eq = value.indexOf('=');
      if (eq < 0) {
        all = CpuBudget.parse(value, flag + " '" + value + "'", cores);
        continue;
      }
      String node;
      try {
        node = FaultParser.node(value, value.substring(0, eq).trim());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(flag + " '" + value + "': expected X or NODE=X, e.g. 0.4 or node-2=0.2");
      }
      byNode.put(node, CpuBudget.parse(value.substring(eq + 1), flag + " '" + value + "'", cores));
    }
    return new NodeBudgets(all, byNode);
  }

  /** Whether no node has a budget. */
  /**
   * The driver's config: it judges the nodes' heartbeats with the failure detector allowance of
   * the slowest budget (see {@link CpuBudget#acceptablePause()}); empty without budgets.
   */
  public com.typesafe.config.Config driverConfig() {
    return slowest().map(b -> com.typesafe.config.ConfigFactory.parseString(
        "pekko.cluster.failure-detector.acceptable-heartbeat-pause = "
            + b.acceptablePause().substring(b.acceptablePause().indexOf('=') + 1)))
        .orElse(com.typesafe.config.ConfigFactory.empty());
  }

  /** The smallest budget given (for the whole cluster or one node), if any. */
  public Optional<CpuBudget> slowest() {
    java.util.stream.Stream<CpuBudget> all = java.util.stream.Stream.concat(
        java.util.stream.Stream.ofNullable(this.all), byNode.values().stream());
    return all.min(java.util.Comparator.comparingDouble(CpuBudget::cpus));
  }

  public boolean isEmpty() {
    return all == null && byNode.isEmpty();
  }

  /** Node {@code name}'s budget, if it has one. */
  public Optional<CpuBudget> of(String name) {
    return Optional.ofNullable(byNode.getOrDefault(name, all));
  }

  /** {@code 0.4 cpus each}, {@code 0.4 cpus each, node-2 0.2}, {@code node-2 0.2 cpus}. */
  public String describe() {
    StringBuilder s = new StringBuilder(all == null ? "" : all.text() + " cpus each");
    byNode.forEach((node, b) -> s.append(s.length() == 0 ? "" : ", ").append(node).append(' ').append(b.text()));
    return all == null && !byNode.isEmpty() ? s + " cpus (the other nodes unlimited)" : s.toString();
  }
}
