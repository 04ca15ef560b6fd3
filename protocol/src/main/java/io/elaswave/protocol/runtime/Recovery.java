package io.elaswave.protocol.runtime;

import io.elaswave.planner.NodeId;
import io.elaswave.planner.RankId;
import java.util.List;

/**
 * A membership change the job went through: which nodes and ranks left (or joined), the layout
 * it runs under since, the step that was abandoned and redone, and when (System.nanoTime of the
 * scheduler's JVM) the change was confirmed and the new layout was ready.
 */
public record Recovery(String kind, List<NodeId> nodes, List<RankId> ranks, String layout, long abandonedStep,
    long detectedAtNanos, long readyAtNanos) {}
