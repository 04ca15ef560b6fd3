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
  private final Map<NodeId, Long> lastSeen = new TreeMap<>(); // monotonic, for silence
  private final Map<NodeId, Long> lastSeenMillis = new TreeMap<>(); // wall clock, for reports

  /** Records a heartbeat heard at {@code nowNanos} (monotonic) and {@code nowMillis} (wall); true if the node is new. */
  boolean heard(NodeAvailable beat, long nowNanos, long nowMillis) {
    lastSeen.put(beat.node(), nowNanos);
    lastSeenMillis.put(beat.node(), nowMillis);
    return nodes.put(beat.node(), beat) == null;
  }

  void remove(NodeId node) {
    nodes.remove(node);
    lastSeen.remove(node);
    lastSeenMillis.remove(node);
  }

  /** The node that reports this host:port, or null. */
  NodeId byAddress(String hostPort) {
    return nodes.values().stream().filter(n -> n.address().equals(hostPort)).map(NodeAvailable::node).findFirst()
        .orElse(null);
  }

  /** The host:port of every known node. */
  List<String> addresses() {
    return nodes.values().stream().map(NodeAvailable::address).toList();
  }

  /** The wall-clock time of the node's last heartbeat (0 if never heard). */
  long lastSeenMillis(NodeId node) {
    return lastSeenMillis.getOrDefault(node, 0L);
  }

  NodeAvailable get(NodeId node) {
    return nodes.get(node);
  }

  /** Every known node's clock range, as its governor reports it (fixed for a node without one). */
  Map<NodeId, io.elaswave.planner.frequency.ClockRange> clockRanges() {
    Map<NodeId, io.elaswave.planner.frequency.ClockRange> out = new TreeMap<>();
    nodes.forEach((id, n) -> out.put(id, n.clock().range()));
    return out;
  }

  /** How many nodes are known. */
  int count() {
    return nodes.size();
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
