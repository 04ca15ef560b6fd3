package io.elaswave.app.launch;

import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The names CPU-budget groups get, {@code elaswave-<run>-<node>} with run the pid of the process
 * that made them (then {@code .<k>} for a second run in the same JVM), and the two ways they are
 * removed whatever happened to that process: a sweep of dead processes' groups at the start of a
 * run, and a detached watchdog (the {@link Detached} pattern of the network lab) that outlives it.
 */
final class BudgetWatchdog {
  static final String PREFIX = "elaswave-";
  private static final Pattern NAME = Pattern.compile(PREFIX + "(\\d+)(?:\\.\\d+)?-.+");

  /** Seconds the watchdog waits for a dead launcher's children to halt before it SIGKILLs what its groups hold. */
  static final int GRACE_SECONDS = 10;

  private BudgetWatchdog() {}

  /** {@code elaswave-<run>-<node>}, the node's name kept to what a directory name safely holds. */
  static String name(String run, String node) {
    return PREFIX + run + "-" + node.replaceAll("[^A-Za-z0-9_.-]", "_");
  }

  /** The pid in a group's name, or -1 if the name is not one of these. */
  static long pidOf(String name) {
    Matcher m = NAME.matcher(name);
    return m.matches() ? Long.parseLong(m.group(1)) : -1;
  }

  /** Removes the groups of processes that no longer run (a SIGKILL and a lost watchdog); busy ones stay. */
  static void sweepDead(CpuGroups groups) {
    for (String name : groups.names(PREFIX)) {
      if (Detached.dead(pidOf(name))) {
        groups.remove(groups.group(name), java.time.Duration.ZERO);
      }
    }
  }

  /**
   * Starts a watchdog that waits until {@code pid} is gone, then removes every group named for
   * it (found by name, so that groups made after this call are covered too). A group empties
   * when its node halts, which a launcher's children do at once ({@link ChildGuard}); what is
   * still inside after {@link #GRACE_SECONDS} (a frozen node cannot halt) is SIGKILLed.
   */
  static Process start(long pid, CpuGroups groups) throws IOException {
    String root = Detached.quote(groups.root().toString());
    String mine = root + "/" + PREFIX + pid + "-* " + root + "/" + PREFIX + pid + ".*-*";
    int tries = GRACE_SECONDS * 2 * 3;
    return Detached.afterDeathOf(pid, "i=0\n"
        + "while [ $i -lt " + tries + " ]; do\n"
        + "  left=0\n"
        + "  for g in " + mine + "; do\n"
        + "    [ -d \"$g\" ] || continue\n"
        + "    rmdir \"$g\" 2>/dev/null && continue\n"
        + "    left=1\n"
        + "    [ $i -ge " + GRACE_SECONDS * 2 + " ] && kill -9 $(cat \"$g/cgroup.procs\") 2>/dev/null\n"
        + "  done\n"
        + "  [ $left = 0 ] && exit 0\n"
        + "  i=$((i+1)); sleep 0.5\n"
        + "done\n");
  }
}
