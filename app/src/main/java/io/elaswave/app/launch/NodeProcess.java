package io.elaswave.app.launch;

import static java.util.concurrent.TimeUnit.NANOSECONDS;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * One running child JVM. Its stdout and stderr are merged and pumped line by line into the spec's
 * log file and a listener, on a daemon thread. Its stdin stays open until the child is gone (or
 * {@link #closeStdin()}): the child's {@link ChildGuard} reads end-of-file there as "the launcher
 * died" and halts, so closing it early would end the child.
 *
 * <p>Signals go through the {@link ProcessHandle}, never {@link Process#destroy()}: on Linux that
 * also closes the child's stdin and stdout pipes, which would halt a guarded child at once instead
 * of letting its SIGTERM shutdown hooks run, and would lose its last output lines.
 */
public final class NodeProcess implements AutoCloseable {
  /** How long {@link #close()} waits after SIGTERM before it sends SIGKILL. */
  public static final Duration DEFAULT_STOP_GRACE = Duration.ofSeconds(10);

  /** A SIGKILLed process is gone within milliseconds; this bound only catches a wedged kernel. */
  static final Duration KILL_WAIT = Duration.ofSeconds(10);

  /** Bound on reading the last output after exit: a grandchild holding the pipe must not hang. */
  static final Duration DRAIN_WAIT = Duration.ofSeconds(2);

  private final NodeProcessSpec spec;
  private final List<String> command;
  private final Process process;
  private final CompletableFuture<Process> exited;
  private final OutputPump pump;
  private final Object stdinLock = new Object();
  private Writer stdin;
  private volatile OptionalLong killedAtNanos = OptionalLong.empty();
  private final Freezer freezer;

  private NodeProcess(
      NodeProcessSpec spec,
      List<String> command,
      Process process,
      Writer log,
      Consumer<String> listener) {
    this.spec = spec;
    this.command = command;
    this.process = process;
    this.freezer = new Freezer(process);
    this.exited = process.onExit();
    this.stdin =
        new BufferedWriter(
            new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
    this.pump = new OutputPump(process.getInputStream(), log, listener, spec.readyMarker());
    pump.start("elaswave-launch-" + spec.name() + "-output");
  }

  /** Starts the child without an output listener; its output still goes to the log file. */
  public static NodeProcess start(NodeProcessSpec spec) throws IOException {
    return start(spec, line -> {});
  }

  /**
   * Starts the child. {@code listener} sees every output line on the pump thread; it must be quick
   * (the child blocks while its pipe is full) and thread-safe if shared between children.
   */
  public static NodeProcess start(NodeProcessSpec spec, Consumer<String> listener)
      throws IOException {
    List<String> command = JavaCommand.of(spec, ProcessHandle.current().pid());
    Path dir = spec.logFile().toAbsolutePath().getParent();
    if (dir != null) {
      Files.createDirectories(dir);
    }
    Writer log = Files.newBufferedWriter(spec.logFile(), StandardCharsets.UTF_8);
    Process process;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException | RuntimeException e) {
      try {
        log.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    return new NodeProcess(spec, command, process, log, listener);
  }

  public String name() {
    return spec.name();
  }

  public NodeProcessSpec spec() {
    return spec;
  }

  /** The exact command line the child was started with. */
  public List<String> command() {
    return command;
  }

  public long pid() {
    return process.pid();
  }

  public ProcessHandle toHandle() {
    return process.toHandle();
  }

  public Path logFile() {
    return spec.logFile();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** The exit code once the child has exited; SIGKILL gives 137 and SIGTERM 143 on Linux. */
  public OptionalInt exitCode() {
    return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
  }

  /** Completes with the exit code when the child exits. */
  public CompletableFuture<Integer> onExit() {
    return exited.thenApply(Process::exitValue);
  }

  /** The readiness line, if the child has printed it. */
  public Optional<String> readyLine() {
    return Optional.ofNullable(pump.ready().getNow(null));
  }

  /** The child's last output lines, oldest first. */
  public List<String> lastLines() {
    return pump.tail();
  }

  /** {@link System#nanoTime()} just before the SIGKILL of {@link #kill()}, for recovery timing. */
  public OptionalLong killedAtNanos() {
    return killedAtNanos;
  }

  /**
   * Waits until the child prints a line starting with the spec's ready marker and returns that
   * line, e.g. {@code READY 127.0.0.1:25520 pid=1234}.
   *
   * @throws NodeNotReadyException if the child exits or closes its output first, or the timeout
   *     passes; the message quotes its last output lines
   */
  public String awaitReady(Duration timeout) throws InterruptedException {
    try {
      settled().get(Math.max(0, timeout.toNanos()), NANOSECONDS);
    } catch (TimeoutException e) {
      throw notReady("not ready within " + timeout.toMillis() + " ms");
    } catch (ExecutionException e) {
      throw new IllegalStateException(this + ": waiting for readiness failed", e.getCause());
    }
    return readyOrFailure();
  }

  /**
   * SIGKILL, as a crash would: no shutdown hook runs in the child, and its own children are left
   * to their guards. Waits (bounded) for the exit and returns the exit code, 137 on Linux.
   */
  public int kill() throws InterruptedException {
    if (process.isAlive()) {
      killedAtNanos = OptionalLong.of(System.nanoTime());
      process.toHandle().destroyForcibly();
    }
    return reap();
  }

  /** SIGSTOP (see {@link Freezer}); the wall-clock instant just before the signal. */
  public long freeze() throws IOException {
    return freezer.freeze();
  }

  /** SIGCONT for a frozen child (nothing otherwise); the wall-clock instant just after. */
  public long thaw() throws IOException {
    return freezer.thaw();
  }

  /** Whether {@link #freeze()} stopped the child and nothing has thawed it yet. */
  public boolean isFrozen() {
    return freezer.frozenAtMillis().isPresent();
  }

  /** The wall-clock instant of the freeze, while frozen. */
  public OptionalLong frozenAtMillis() {
    return freezer.frozenAtMillis();
  }

  /**
   * SIGTERM, so the child's shutdown hooks run; after {@code grace} SIGKILL for it and its
   * descendants. Returns the exit code.
   */
  public int stop(Duration grace) throws InterruptedException {
    terminate();
    if (!awaitExit(grace)) {
      destroyTreeForcibly();
    }
    return reap();
  }

  /**
   * Closes the child's stdin. A child running {@link ChildGuard} then halts with {@link
   * ChildGuard#ORPHANED_EXIT_CODE}, as it would if the launcher had died.
   */
  public void closeStdin() {
    synchronized (stdinLock) {
      if (stdin == null) {
        return;
      }
      try {
        stdin.close();
      } catch (IOException e) {
        // Only a dead child makes this fail (broken pipe), and the descriptor is closed anyway.
      }
      stdin = null;
    }
  }

  /**
   * Writes one line to the child's stdin, which {@link ChildGuard#install(Consumer)} hands to the
   * child's handler. Blocks if the child does not read its stdin and the pipe is full.
   */
  public void send(String line) throws IOException {
    synchronized (stdinLock) {
      if (stdin == null) {
        throw new IOException(name() + ": stdin is already closed");
      }
      stdin.write(line);
      stdin.write('\n');
      stdin.flush();
    }
  }

  /** {@link #stop(Duration)} with {@link #DEFAULT_STOP_GRACE}, then waits for the last output. */
  @Override
  public void close() {
    try {
      stop(DEFAULT_STOP_GRACE);
    } catch (InterruptedException e) {
      destroyTreeForcibly();
      Thread.currentThread().interrupt();
    }
    drainOutput();
  }

  @Override
  public String toString() {
    return name() + " (pid " + pid() + ")";
  }

  /**
   * SIGTERM without waiting, so that a cluster can signal all its children at once. A frozen
   * child is thawed first: stopped, it could not run the shutdown hooks SIGTERM asks for.
   */
  void terminate() {
    if (process.isAlive()) {
      freezer.thawQuietly();
      process.toHandle().destroy();
    }
  }

  /** Completes when the child is ready, has exited, or has closed its output. */
  CompletableFuture<Object> settled() {
    return CompletableFuture.anyOf(pump.ready(), pump.done(), exited);
  }

  boolean awaitExit(Duration timeout) throws InterruptedException {
    return process.waitFor(Math.max(0, timeout.toNanos()), NANOSECONDS);
  }

  /** SIGKILL for the child and the descendants it has now; used for cleanup, not for faults. */
  void destroyTreeForcibly() {
    if (!process.isAlive()) {
      return; // its pid may already belong to an unrelated process
    }
    // Snapshot first: once the child is dead its children are re-parented and no longer listed.
    List<ProcessHandle> descendants = process.descendants().toList();
    process.toHandle().destroyForcibly();
    descendants.forEach(ProcessHandle::destroyForcibly);
  }

  /** Waits (bounded) for a signalled child, releases its stdin and returns the exit code. */
  int reap() throws InterruptedException {
    if (!awaitExit(KILL_WAIT)) {
      throw new IllegalStateException(
          this + " is still alive " + KILL_WAIT.toSeconds() + " s after SIGKILL");
    }
    closeStdin();
    return process.exitValue();
  }

  /** Waits (bounded) until the pump has read the child's last line and closed the log file. */
  void drainOutput() {
    awaitQuietly(pump.done(), DRAIN_WAIT.toNanos());
  }

  /**
   * For a child that has {@link #settled()}: its ready line, or the exception that says why there
   * is none. Reads the rest of its output first, which may still hold the ready line.
   */
  String readyOrFailure() {
    if (!pump.ready().isDone()) {
      awaitQuietly(pump.done(), DRAIN_WAIT.toNanos());
    }
    if (pump.ready().isDone()) {
      return pump.ready().join();
    }
    awaitQuietly(exited, DRAIN_WAIT.toNanos());
    String expected = " before printing a line starting with \"" + spec.readyMarker() + "\"";
    if (process.isAlive()) {
      throw notReady("closed its output" + expected);
    }
    throw notReady("exited with code " + process.exitValue() + expected);
  }

  NodeNotReadyException notReady(String reason) {
    return new NodeNotReadyException(
        name(), "(pid " + pid() + ") " + reason, pump.tail(), spec.logFile());
  }

  /** Waits up to {@code nanos}; a timeout is fine here, and an interrupt is kept for the caller. */
  private static void awaitQuietly(CompletableFuture<?> future, long nanos) {
    try {
      future.get(nanos, NANOSECONDS);
    } catch (TimeoutException | ExecutionException e) {
      // Bounded best effort: the caller reports whatever state it finds.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
