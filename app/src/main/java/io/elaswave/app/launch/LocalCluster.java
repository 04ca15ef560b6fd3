package io.elaswave.app.launch;

import static java.util.concurrent.TimeUnit.NANOSECONDS;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;

/**
 * A set of named child JVMs on this machine that never outlives its launcher. {@link #close()}
 * stops every child (SIGCONT if frozen, SIGTERM, a bounded grace, then SIGKILL); one JVM
 * shutdown hook, removed by {@code close()}, SIGKILLs them all if the launcher exits first (Ctrl-C, an uncaught exception).
 * A SIGKILLed launcher runs no hook; there the children's {@link ChildGuard} takes over.
 *
 * <p>Thread-safe. Nodes are kept by name in start order; a killed node stays listed, dead, until a
 * node with its name is started again.
 */
public final class LocalCluster implements AutoCloseable {
  private final Duration readyTimeout;
  private final Duration stopGrace;
  private final BiConsumer<String, String> listener;
  private final Map<String, NodeProcess> nodes = new LinkedHashMap<>();
  // Every child ever started, including replaced ones: what the hook and allExited() look at.
  private final List<NodeProcess> started = new CopyOnWriteArrayList<>();
  private final Thread shutdownHook;
  private boolean closed;

  /**
   * An empty cluster; the shutdown hook is registered here.
   *
   * @param readyTimeout how long {@link #startAll} waits for a batch to print its ready lines
   * @param stopGrace how long {@link #close()} and {@link #stop} wait between SIGTERM and SIGKILL
   * @param listener receives {@code (node name, output line)} from every child's pump thread, so it
   *     must be thread-safe and quick
   */
  public LocalCluster(
      Duration readyTimeout, Duration stopGrace, BiConsumer<String, String> listener) {
    this.readyTimeout = Objects.requireNonNull(readyTimeout, "readyTimeout");
    this.stopGrace = Objects.requireNonNull(stopGrace, "stopGrace");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.shutdownHook = new Thread(this::destroyAllForcibly, "elaswave-local-cluster-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * Starts {@code specs} and waits until all are ready; the stop grace is {@link
   * NodeProcess#DEFAULT_STOP_GRACE}. If that fails, every child is gone before the exception.
   */
  public static LocalCluster start(
      List<NodeProcessSpec> specs, Duration readyTimeout, BiConsumer<String, String> listener)
      throws IOException, InterruptedException {
    LocalCluster cluster = new LocalCluster(readyTimeout, NodeProcess.DEFAULT_STOP_GRACE, listener);
    try {
      cluster.startAll(specs);
      return cluster;
    } catch (IOException | InterruptedException | RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  /**
   * Starts a batch at once (they boot in parallel) and waits, within the ready timeout in total,
   * until each has printed its ready line. If one fails, the whole batch is SIGKILLed and the
   * first failure is thrown; nodes started earlier keep running.
   *
   * @throws NodeNotReadyException if a child exits first or the timeout passes
   * @throws IllegalArgumentException if two specs share a name
   * @throws IllegalStateException if a live node has one of the names, or the cluster is closed
   */
  /** What to do with a node once it is ready (e.g. put it under its budget). */
  @FunctionalInterface
  public interface OnReady {
    void accept(NodeProcess node) throws IOException;
  }

  /** As {@link #startAll}, {@code batch} nodes at a time, each batch ready (and handed to {@code onReady}) first. */
  public List<NodeProcess> startInBatches(List<NodeProcessSpec> specs, int batch, OnReady onReady)
      throws IOException, InterruptedException {
    List<NodeProcess> all = new ArrayList<>();
    for (int from = 0; from < specs.size(); from += Math.max(1, batch)) {
      for (NodeProcess node : startAll(specs.subList(from, Math.min(specs.size(), from + Math.max(1, batch))))) {
        onReady.accept(node);
        all.add(node);
      }
    }
    return List.copyOf(all);
  }

  public List<NodeProcess> startAll(List<NodeProcessSpec> specs)
      throws IOException, InterruptedException {
    List<NodeProcess> batch = new ArrayList<>(specs.size());
    try {
      synchronized (this) {
        checkStartable(specs);
        for (NodeProcessSpec spec : specs) {
          String name = spec.name();
          NodeProcess node = NodeProcess.start(spec, line -> listener.accept(name, line));
          batch.add(node);
          started.add(node);
          nodes.put(name, node);
        }
      }
      awaitAllReady(batch);
      return List.copyOf(batch);
    } catch (IOException | InterruptedException | RuntimeException e) {
      abandon(batch);
      throw e;
    }
  }

  /** Starts one more node, e.g. one joining later or a killed node restarted on its old port. */
  public NodeProcess start(NodeProcessSpec spec) throws IOException, InterruptedException {
    return startAll(List.of(spec)).get(0);
  }

  /**
   * The current node with this name, alive or not.
   *
   * @throws IllegalArgumentException if there is none
   */
  public synchronized NodeProcess node(String name) {
    NodeProcess node = nodes.get(name);
    if (node == null) {
      throw new IllegalArgumentException("no node named " + name + "; nodes: " + nodes.keySet());
    }
    return node;
  }

  /** The current nodes by name, in start order (a snapshot). */
  public synchronized Map<String, NodeProcess> nodes() {
    return Collections.unmodifiableMap(new LinkedHashMap<>(nodes));
  }

  /** SIGKILLs the node (see {@link NodeProcess#kill()}) and returns its exit code. */
  public int kill(String name) throws InterruptedException {
    return node(name).kill();
  }

  /** SIGSTOPs the node (see {@link NodeProcess#freeze()}); returns the wall-clock instant. */
  public long freeze(String name) throws IOException {
    return node(name).freeze();
  }

  /** SIGCONTs a frozen node (see {@link NodeProcess#thaw()}); returns the wall-clock instant. */
  public long thaw(String name) throws IOException {
    return node(name).thaw();
  }

  /** Stops the node gracefully within the stop grace (see {@link NodeProcess#stop(Duration)}). */
  public int stop(String name) throws InterruptedException {
    return node(name).stop(stopGrace);
  }

  /** Whether every child this cluster ever started has exited, as the OS sees it. */
  public boolean allExited() {
    return started.stream().noneMatch(node -> node.toHandle().isAlive());
  }

  /**
   * SIGTERMs every live child at once, waits up to the stop grace in total, SIGKILLs the rest and
   * their descendants, and waits for their last output. Idempotent.
   *
   * @throws IllegalStateException if a child survived SIGKILL (the OS is wedged)
   */
  @Override
  public void close() {
    List<NodeProcess> all;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      all = List.copyOf(started);
    }
    try {
      stopAll(all);
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException e) {
        // The JVM is already shutting down, and the hook runs now or has run.
      }
    }
  }

  private void checkStartable(List<NodeProcessSpec> specs) {
    if (closed) {
      throw new IllegalStateException("the cluster is closed");
    }
    Set<String> names = new HashSet<>();
    for (NodeProcessSpec spec : specs) {
      if (!names.add(spec.name())) {
        throw new IllegalArgumentException("two specs are named " + spec.name());
      }
      NodeProcess existing = nodes.get(spec.name());
      if (existing != null && existing.isAlive()) {
        throw new IllegalStateException(existing + " is still running");
      }
    }
  }

  /** Waits for the batch, failing on the first child that dies rather than after the others. */
  private void awaitAllReady(List<NodeProcess> batch) throws InterruptedException {
    long deadline = System.nanoTime() + readyTimeout.toNanos();
    List<NodeProcess> pending = new ArrayList<>(batch);
    while (!pending.isEmpty()) {
      CompletableFuture<?>[] settled =
          pending.stream().map(NodeProcess::settled).toArray(CompletableFuture<?>[]::new);
      try {
        CompletableFuture.anyOf(settled).get(remaining(deadline), NANOSECONDS);
      } catch (TimeoutException e) {
        // Checked below: nothing settled means the deadline has passed.
      } catch (ExecutionException e) {
        throw new IllegalStateException("waiting for readiness failed", e.getCause());
      }
      List<NodeProcess> done = pending.stream().filter(n -> n.settled().isDone()).toList();
      if (done.isEmpty()) {
        throw pending.get(0).notReady("not ready within " + readyTimeout.toMillis() + " ms");
      }
      for (NodeProcess node : done) {
        node.readyOrFailure();
      }
      pending.removeAll(done);
    }
  }

  /** SIGKILLs a failed batch and forgets it, so a retry may reuse the names. */
  private void abandon(List<NodeProcess> batch) {
    for (NodeProcess node : batch) {
      node.destroyTreeForcibly();
    }
    synchronized (this) {
      for (NodeProcess node : batch) {
        nodes.remove(node.name(), node);
      }
    }
    boolean interrupted = Thread.interrupted();
    for (NodeProcess node : batch) {
      try {
        node.reap();
      } catch (InterruptedException e) {
        interrupted = true;
      } catch (IllegalStateException e) {
        // Reported by allExited(); the caller is already handling the original failure.
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void stopAll(List<NodeProcess> all) {
    all.forEach(NodeProcess::terminate);
    long deadline = System.nanoTime() + stopGrace.toNanos();
    boolean interrupted = false;
    for (NodeProcess node : all) {
      if (interrupted) {
        break;
      }
      try {
        node.awaitExit(Duration.ofNanos(remaining(deadline)));
      } catch (InterruptedException e) {
        interrupted = true; // stop waiting politely; the SIGKILLs below still happen
      }
    }
    all.forEach(NodeProcess::destroyTreeForcibly);
    IllegalStateException stuck = null;
    for (NodeProcess node : all) {
      try {
        node.reap();
      } catch (InterruptedException e) {
        interrupted = true;
      } catch (IllegalStateException e) {
        if (stuck == null) {
          stuck = e;
        } else {
          stuck.addSuppressed(e);
        }
      }
    }
    all.forEach(NodeProcess::drainOutput);
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (stuck != null) {
      throw stuck;
    }
  }

  /** The shutdown hook: signals only, because the exiting JVM should not wait on children. */
  private void destroyAllForcibly() {
    for (NodeProcess node : started) {
      node.destroyTreeForcibly();
    }
  }

  private static long remaining(long deadline) {
    return Math.max(0, deadline - System.nanoTime());
  }

  /** CPU seconds so far of every node started here that is still alive, by pid. */
  public synchronized java.util.Map<Long, Double> cpuSecondsByPid() {
    java.util.Map<Long, Double> out = new java.util.HashMap<>();
    for (NodeProcess n : nodes.values()) {
      n.toHandle().info().totalCpuDuration().ifPresent(d -> out.put(n.pid(), d.toNanos() / 1e9));
    }
    return out;
  }
}
