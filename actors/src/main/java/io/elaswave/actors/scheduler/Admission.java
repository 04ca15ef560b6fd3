package io.elaswave.actors.scheduler;

import io.elaswave.protocol.runtime.SchedulerMessage.NodeAvailable;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;

/**
 * Which heartbeats the scheduler believes. A node offers room for ranks with a heartbeat that
 * carries its guardian; anyone who reaches a node's port can send one, so it counts only when
 * that guardian lives in this JVM or on a member of the cluster. Anything else (a stranger's
 * system, a node already downed or removed) is refused and counted; a stranger is said once per
 * address, a node on its way out (one admitted before) only at debug level.
 */
final class Admission {
  private final Membership membership;
  private final Logger log;
  private final Map<String, Long> refused = new TreeMap<>();
  private final java.util.Set<String> admitted = new java.util.HashSet<>();

  Admission(Membership membership, Logger log) {
    this.membership = membership;
    this.log = log;
  }

  /** True when {@code m}'s guardian lives on a member of the cluster; otherwise refused and counted. */
  boolean admits(NodeAvailable m) {
    String from = m.guardian().path().address().toString();
    if (membership.onMember(m.guardian())) {
      admitted.add(from);
      return true;
    }
    long n = refused.merge(from, 1L, Long::sum);
    if (admitted.contains(from)) {
      log.debug("ignored a heartbeat of node {}, which is leaving the cluster", m.node().name());
    } else if (n == 1) {
      log.warn("refused a heartbeat claiming to be node {}: it comes from {}, not a member of the cluster"
          + " (said once per sender; {} refused in all)",
          m.node().name(), from, refused.values().stream().mapToLong(Long::longValue).sum());
    }
    return false;
  }
}
