package io.elaswave.protocol.runtime;

import io.elaswave.planner.NodeId;
import io.elaswave.planner.RankId;
import java.util.List;

/**
 * A membership change the job went through: its cause ({@code node-dead}, {@code rank-error},
 * {@code step-deadline}, {@code node-joined}, {@code scheduler-failover}), which nodes and ranks
 * left (or joined), the layout it runs under since and the step that was abandoned and redone.
 * Times are the scheduler's wall clock (epoch milliseconds), so they compare across machines:
 * when the fault was first observable there (a lost node's last heartbeat, a hung step's start,
 * a failed rank's report), when the scheduler decided, and when the new layout was ready.
 */
public record Recovery(String cause, List<NodeId> nodes, List<RankId> ranks, String layout, long abandonedStep,
    long faultAtMillis, long detectedAtMillis, long readyAtMillis) {
  /** From the fault to the decision. */
  public long detectMillis() {
    return detectedAtMillis - faultAtMillis;
  }

  /** From the fault to the new layout being ready (the abandoned step then reruns). */
  public long mttrMillis() {
    return readyAtMillis - faultAtMillis;
  }
}
