package io.elaswave.app.launch;

/**
 * A launcher to SIGKILL in a test: creates a network lab with two nodes, prints {@code LAB <pid>}
 * and blocks, so that only the lab's watchdog can clean up after it.
 */
public final class LabHolder {
  private LabHolder() {}

  public static void main(String[] args) throws Exception {
    NetworkLab lab = NetworkLab.create();
    lab.addNode(0);
    lab.addNode(1);
    System.out.println("LAB " + ProcessHandle.current().pid());
    System.out.flush();
    Thread.currentThread().join(); // until killed
  }
}
