package io.elaswave.app;

import io.elaswave.protocol.runtime.Recovery;
import java.util.Set;

/** A membership change the scheduler reported with a commit, as the run event the metrics file gets. */
final class RecoveryEvents {
  /** Causes of a re-plan with every rank alive: for measured speed, or a background migration's switch. */
  private static final Set<String> SPEED_CAUSES = Set.of("slow", "speed-recovered", "speeds-changed", "migrated");
  /** Recovery causes a node fault made by the driver can produce. */
  private static final Set<String> NODE_CAUSES = Set.of("node-dead", "scheduler-failover", "node-downed",
      "unreachable");

  private RecoveryEvents() {}

  /** Whether {@code rec} answers a node fault the driver made (a kill, a freeze). */
  static boolean answersKill(Recovery rec) {
    return NODE_CAUSES.contains(rec.cause());
  }

  /**
   * The event of {@code rec}, reported with the commit of {@code step}. A death the driver
   * caused at {@code killedAtMillis} (0: none pending) is timed from that instant; any other
   * fault from the scheduler's first sight of it (both wall clocks: the same machine).
   */
  static RunEvent of(long step, Recovery rec, long killedAtMillis, long nowMillis) {
    if (rec.cause().equals("node-joined")) {
      return new RunEvent.NodeJoined(nowMillis, step, rec.nodes().toString(), rec.ranks().toString(), rec.layout(),
          rec.readyAtMillis() - rec.detectedAtMillis());
    }
    if (SPEED_CAUSES.contains(rec.cause())) {
      return new RunEvent.Replanned(nowMillis, step, rec.cause(), rec.nodes().toString(), rec.ranks().toString(),
          rec.layout(), rec.readyAtMillis() - rec.detectedAtMillis(), rec.readyAtMillis());
    }
    long faultAt = killedAtMillis != 0 && answersKill(rec) ? killedAtMillis : rec.faultAtMillis();
    return new RunEvent.Recovered(nowMillis, step, rec.cause(), rec.nodes().toString(), rec.ranks().toString(),
        rec.layout(), rec.abandonedStep(), rec.detectedAtMillis() - faultAt, rec.readyAtMillis() - faultAt,
        nowMillis - faultAt);
  }
}
