package io.elaswave.actors.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.elaswave.planner.NodeId;
import io.elaswave.protocol.runtime.SchedulerMessage.NodeAvailable;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeRegistryTest {
  private static NodeAvailable beat(String node, int capacity) {
    return new NodeAvailable(NodeId.of(node), capacity, 1L, "127.0.0.1:1", List.of(), null);
  }

  @Test void aFirstHeartbeatIsNewARepeatIsNot() {
    NodeRegistry r = new NodeRegistry();
    assertTrue(r.heard(beat("node-0", 2), 0, 1000));
    assertFalse(r.heard(beat("node-0", 2), 10, 1010));
    assertEquals(1010, r.lastSeenMillis(NodeId.of("node-0")));
  }

  @Test void roomAndCapacityCountEveryNodeHeard() {
    NodeRegistry r = new NodeRegistry();
    r.heard(beat("node-1", 3), 0, 0);
    r.heard(beat("node-0", 2), 0, 0);
    assertEquals(5, r.room());
    assertEquals(Map.of(NodeId.of("node-0"), 2, NodeId.of("node-1"), 3), r.capacity());
  }

  @Test void silenceIsMeasuredFromTheLastHeartbeat() {
    NodeRegistry r = new NodeRegistry();
    r.heard(beat("node-0", 1), 0, 0);
    r.heard(beat("node-1", 1), 0, 0);
    r.heard(beat("node-1", 1), 500, 500);
    assertEquals(List.of(NodeId.of("node-0")), r.silent(600, 400));
    assertEquals(List.of(), r.silent(300, 400));
  }

  @Test void aRemovedNodeIsForgotten() {
    NodeRegistry r = new NodeRegistry();
    r.heard(beat("node-0", 1), 0, 0);
    r.remove(NodeId.of("node-0"));
    assertNull(r.get(NodeId.of("node-0")));
    assertEquals(0, r.room());
    assertEquals(List.of(), r.silent(10_000, 1));
    assertTrue(r.heard(beat("node-0", 1), 0, 0), "a node heard again after removal is new");
  }
}
