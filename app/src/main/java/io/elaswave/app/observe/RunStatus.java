package io.elaswave.app.observe;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * What the driver's {@code /status} answers: the run's state ({@code starting}, {@code running},
 * {@code done}), the committed step of {@code lastStep}, the last step's loss and throughput, the
 * layout and its epoch, the working nodes with their ranks, the cluster's members, and the last
 * recovery (its metrics-file event, or null) with how many there were.
 */
public record RunStatus(String state, String description, long step, long lastStep, double loss,
    double tokensPerSecond, double stepMillis, String layout, long epoch, List<NodeStatus> nodes,
    List<ClusterMember> members, JsonNode lastRecovery, int recoveries, long updatedAtMillis) {
  public RunStatus {
    nodes = List.copyOf(nodes);
    members = List.copyOf(members);
  }

  /** A node that worked in the last step: its ranks, its clock and its CPU budget (0: none). */
  public record NodeStatus(String node, List<RankStatus> ranks, double clock, double cpus) {
    public NodeStatus {
      ranks = List.copyOf(ranks);
    }
  }

  /** A working rank: its id, its replica and its pipeline stage. */
  public record RankStatus(int rank, int replica, int stage) {}

  /** With the members as seen now. */
  RunStatus withMembers(List<ClusterMember> now) {
    return new RunStatus(state, description, step, lastStep, loss, tokensPerSecond, stepMillis, layout, epoch, nodes,
        now, lastRecovery, recoveries, updatedAtMillis);
  }
}
