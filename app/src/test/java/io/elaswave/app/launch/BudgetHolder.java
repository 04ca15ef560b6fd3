package io.elaswave.app.launch;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A launcher to SIGKILL in a test: starts one guarded child in a CPU-budget group, prints
 * {@code GROUP <dir> <watchdog pid> <child pid>} and blocks, so that only the watchdog can
 * remove the group after it.
 */
public final class BudgetHolder {
  private BudgetHolder() {}

  public static void main(String[] args) throws Exception {
    BudgetGroups budgets = BudgetGroups.open();
    NodeProcess child = NodeProcess.start(budgets.place(EchoNode.spec("node-0", Path.of(args[0]), "ready"),
        new CpuBudget(0.5)));
    child.awaitReady(Duration.ofSeconds(60));
    budgets.adopt(child);
    System.out.println("GROUP " + budgets.group("node-0").orElseThrow() + " " + budgets.watchdogPid() + " "
        + child.pid());
    System.out.flush();
    Thread.currentThread().join(); // until killed
  }
}
