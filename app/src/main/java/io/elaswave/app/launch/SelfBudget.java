package io.elaswave.app.launch;

import java.io.IOException;
import java.nio.file.Path;

/**
 * {@code elaswave node --cpus X} on a machine of its own: the node puts itself into a group
 * {@code elaswave-<pid>-<name>} with the budget. The group goes when the node exits: a shutdown
 * hook moves the JVM back to the root group and removes it, and after a SIGKILL the watchdog
 * (started before the JVM enters the group, so that it runs outside the budget) does.
 */
public final class SelfBudget {
  private SelfBudget() {}

  /**
   * Enters the group; returns it.
   *
   * @throws IOException in one line if budgets cannot be set here (what was made is removed)
   */
  public static Path enter(String node, CpuBudget budget) throws IOException {
    CpuGroups groups = CpuGroups.detect();
    BudgetWatchdog.sweepDead(groups);
    long pid = ProcessHandle.current().pid();
    Path group = groups.create(BudgetWatchdog.name(Long.toString(pid), node), budget);
    try {
      BudgetWatchdog.start(pid, groups);
      groups.enter(group, pid);
    } catch (IOException | RuntimeException e) {
      groups.remove(group, BudgetGroups.REMOVE_WITHIN);
      throw e;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        groups.leave(pid);
      } catch (IOException e) {
        return; // still inside: the watchdog removes the group once this JVM is gone
      }
      groups.remove(group, BudgetGroups.REMOVE_WITHIN);
    }, "elaswave-self-budget-cleanup"));
    return group;
  }
}
