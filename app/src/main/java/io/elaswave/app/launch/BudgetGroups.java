package io.elaswave.app.launch;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The CPU-budget control groups of one launcher's node JVMs, one group per node, named
 * {@code elaswave-<run>-<node>} ({@link BudgetWatchdog}). A node's JVM is started through a tiny
 * {@code sh} that writes its own pid into the group's {@code cgroup.procs} and then execs the JVM
 * (same pid), so the JVM never runs a moment outside its budget; if the write fails the JVM never
 * starts. {@link #adopt} checks the JVM is in the group and removes the group once it exits
 * (a SIGKILL included). {@link #close()} removes what is left, so does a shutdown hook (Ctrl-C),
 * and the watchdog does after a SIGKILL of the launcher.
 */
public final class BudgetGroups implements AutoCloseable {
  /** How long a removal retries: a just-exited process may hold its group for a moment. */
  static final Duration REMOVE_WITHIN = Duration.ofSeconds(5);

  private static final AtomicInteger RUNS = new AtomicInteger();

  /** A node's group and the budget it has now. */
  private record Placed(Path group, CpuBudget budget) {}

  private final CpuGroups groups;
  private final String run;
  private final Map<String, Placed> nodes = new LinkedHashMap<>();
  private final Process watchdog;
  private final Thread hook;
  private boolean closed;

  private BudgetGroups(CpuGroups groups, String run, Process watchdog) {
    this.groups = groups;
    this.run = run;
    this.watchdog = watchdog;
    this.hook = new Thread(this::killAndRemoveAll, "elaswave-budget-groups-cleanup");
  }

  /**
   * Finds the cpu controller, sweeps groups of dead launchers, and starts the watchdog.
   *
   * @throws IOException in one line if there is no cpu controller
   */
  public static BudgetGroups open() throws IOException {
    CpuGroups groups = CpuGroups.detect();
    BudgetWatchdog.sweepDead(groups);
    long pid = ProcessHandle.current().pid();
    int k = RUNS.incrementAndGet();
    BudgetGroups budgets = new BudgetGroups(groups, k == 1 ? Long.toString(pid) : pid + "." + k,
        BudgetWatchdog.start(pid, groups));
    Runtime.getRuntime().addShutdownHook(budgets.hook);
    return budgets;
  }

  /** Whether {@link #probe} succeeds: budgets can be set on this machine by this process. */
  public static boolean available() {
    try {
      probe();
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Whether budgets can be set here at all: makes and removes a probe group. Called before
   * anything starts, so that nothing runs half-limited.
   *
   * @throws IOException in one line saying why not (no controller, not root, read-only)
   */
  public static void probe() throws IOException {
    CpuGroups groups = CpuGroups.detect();
    Path group = groups.create(BudgetWatchdog.name(Long.toString(ProcessHandle.current().pid()), "probe"),
        new CpuBudget(1));
    if (!groups.remove(group, REMOVE_WITHIN)) {
      throw new IOException("cannot remove the probe control group " + group);
    }
  }

  public CpuGroups groups() {
    return groups;
  }

  /**
   * Makes a group with {@code budget} for the spec's node and returns the spec run inside it: the
   * group's prefix first (it moves itself, then execs the rest, e.g. {@code ip netns exec}, then
   * the JVM: all one pid), and JVM options sized to the budget.
   */
  public NodeProcessSpec place(NodeProcessSpec spec, CpuBudget budget) throws IOException {
    return place(spec, budget, budget);
  }

  /**
   * As {@link #place(NodeProcessSpec, CpuBudget)}, but the group's quota is {@code boot} until
   * {@link #enforce} sets the budget: a JVM booting at 0.2 cores took over a minute, and booting
   * is not what an emulated accelerator's speed is about.
   */
  public NodeProcessSpec place(NodeProcessSpec spec, CpuBudget budget, CpuBudget boot) throws IOException {
    Path group;
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException("the budget groups are closed");
      }
      group = groups.create(BudgetWatchdog.name(run, spec.name()), boot);
      nodes.put(spec.name(), new Placed(group, budget));
    }
    List<String> jvm = new ArrayList<>(spec.jvmOptions());
    jvm.addAll(budget.jvmOptions());
    List<String> prefix = new ArrayList<>(enterPrefix(group));
    prefix.addAll(spec.commandPrefix());
    return spec.withJvmOptions(jvm).withCommandPrefix(prefix);
  }

  /** {@code sh -c 'echo $$ > <group>/cgroup.procs && exec "$@"'}: the shell moves itself, then becomes the JVM. */
  static List<String> enterPrefix(Path group) {
    return List.of("sh", "-c", "echo $$ > \"$0\" || { echo \"elaswave: cannot enter control group $0\" >&2;"
        + " exit 97; }; exec \"$@\"", group.resolve("cgroup.procs").toString());
  }

  /**
   * Checks that the started node's JVM is in its group, and removes the group once it exits;
   * the future tells whether it went.
   *
   * @throws IOException if it is not in the group
   */
  public CompletableFuture<Boolean> adopt(NodeProcess node) throws IOException {
    Path group = placed(node.name()).group();
    if (!groups.pids(group).contains(node.pid())) {
      throw new IOException(node + " is not in its control group " + group + " (it holds " + groups.pids(group) + ")");
    }
    return node.onExit().handleAsync((code, e) -> groups.remove(group, REMOVE_WITHIN));
  }

  /** Sets node {@code node}'s quota to the budget it was placed with (after booting under another). */
  public void enforce(String node) throws IOException {
    Placed p;
    synchronized (this) {
      p = placed(node);
    }
    groups.setBudget(p.group(), p.budget());
  }

  /** Rewrites node {@code node}'s quota; returns the wall-clock instant just after. */
  public long setBudget(String node, CpuBudget budget) throws IOException {
    Placed p;
    synchronized (this) {
      p = placed(node);
      nodes.put(node, new Placed(p.group(), budget));
    }
    groups.setBudget(p.group(), budget);
    return System.currentTimeMillis();
  }

  /** Node {@code node}'s budget now, if it has a group. */
  public synchronized Optional<CpuBudget> budget(String node) {
    return Optional.ofNullable(nodes.get(node)).map(Placed::budget);
  }

  /** Node {@code node}'s group, if it has one. */
  public synchronized Optional<Path> group(String node) {
    return Optional.ofNullable(nodes.get(node)).map(Placed::group);
  }

  /** The watchdog, for tests that SIGKILL a launcher. */
  long watchdogPid() {
    return watchdog.pid();
  }

  /** The groups of this run that still exist. */
  public List<String> leftovers() {
    List<String> left = new ArrayList<>();
    for (Path group : made()) {
      if (group.toFile().isDirectory()) {
        left.add(group.getFileName().toString());
      }
    }
    return left;
  }

  /**
   * Removes every group (call once the nodes have exited), and stops the watchdog if nothing is
   * left for it. Idempotent.
   */
  @Override public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    boolean all = true;
    for (Path group : made()) {
      all &= groups.remove(group, REMOVE_WITHIN);
    }
    if (all) {
      watchdog.destroyForcibly(); // started here, by its own pid; else it removes the rest after this JVM
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is shutting down and the hook runs now or has run
    }
  }

  /** The shutdown hook: the nodes may outlive this JVM by a moment, so end what the groups hold first. */
  private void killAndRemoveAll() {
    List<Path> made = made();
    for (Path group : made) {
      groups.pids(group).forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    }
    for (Path group : made) {
      groups.remove(group, Duration.ofSeconds(2));
    }
  }

  private synchronized List<Path> made() {
    return nodes.values().stream().map(Placed::group).toList();
  }

  private synchronized Placed placed(String node) {
    Placed p = nodes.get(node);
    if (p == null) {
      throw new IllegalArgumentException(node + " has no CPU budget (--node-cpus)");
    }
    return p;
  }

  @Override public String toString() {
    return groups + ", groups " + BudgetWatchdog.PREFIX + run + "-<node>";
  }
}
