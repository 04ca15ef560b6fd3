package io.elaswave.actors.scheduler;

import io.elaswave.planner.NodeId;
import io.elaswave.protocol.runtime.SchedulerMessage.NodeAvailable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The nodes the scheduler hears from: their last heartbeat and when it arrived. */
final class NodeRegistry {
  private final Map<NodeId, NodeAvailable> nodes = new TreeMap<>();
  private final Map<NodeId, Long> lastSeen = new TreeMap<>();

  /** Records a heartbeat; true if the node is new. */
  boolean heard(NodeAvailable beat, long nowNanos) {
    lastSeen.put(beat.node(), nowNanos);
    return nodes.put(beat.node(), beat) == null;
  }

  void remove(NodeId node) {
    nodes.remove(node);
    lastSeen.remove(node);
  }

  NodeAvailable get(NodeId node) {
    return nodes.get(node);
  }

  int room() {
    return nodes.values().stream().mapToInt(NodeAvailable::capacity).sum();
  }

  Map<NodeId, Integer> capacity() {
    Map<NodeId, Integer> out = new LinkedHashMap<>();
    nodes.forEach((id, n) -> out.put(id, n.capacity()));
    return out;
  }

  /** Nodes silent for longer than {@code silenceNanos}. */
  List<NodeId> silent(long nowNanos, long silenceNanos) {
    List<NodeId> out = new ArrayList<>();
    lastSeen.forEach((node, seen) -> {
      if (nowNanos - seen > silenceNanos) {
        out.add(node);
      }
    });
    return out;
  }
}
