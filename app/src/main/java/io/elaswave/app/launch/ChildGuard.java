package io.elaswave.app.launch;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Runs in a child started by {@link NodeProcess} and halts it once its launcher is gone, so no
 * orphan survives even a SIGKILLed launcher (which runs no shutdown hook). Two signals, either
 * one enough: stdin reaches end-of-file (the kernel closes the launcher's end of the pipe when it
 * dies), or the parent process changes (the child was re-parented). The child halts rather than
 * exits: its shutdown hooks could block, and nobody is left to wait for them.
 *
 * <p>It arms only when {@link #LAUNCHER_PID_PROPERTY} is set, which {@link NodeProcess} does. A
 * node started by hand from a script often has stdin on {@code /dev/null}, and must not halt.
 */
public final class ChildGuard {
  /** System property with the launcher's pid, set on every child's command line. */
  public static final String LAUNCHER_PID_PROPERTY = "elaswave.launcher.pid";

  /** The exit code of a child that halted because its launcher was gone. */
  public static final int ORPHANED_EXIT_CODE = 3;

  static final Duration PARENT_POLL = Duration.ofMillis(500);

  private static final AtomicBoolean INSTALLED = new AtomicBoolean();

  private ChildGuard() {}

  /** {@link #install(Consumer)} that ignores lines the launcher sends. */
  public static boolean install() {
    return install(line -> {});
  }

  /**
   * Call first thing in the child's {@code main}, before slow start-up work. The guard owns stdin:
   * lines the launcher sends with {@link NodeProcess#send(String)} go to {@code onLine}, on the
   * guard's thread. Returns whether the guard armed (false when not started by a launcher).
   *
   * @throws IllegalStateException if called twice
   */
  public static boolean install(Consumer<String> onLine) {
    OptionalLong launcher = launcherPid(System.getProperties());
    if (launcher.isEmpty()) {
      return false;
    }
    if (!INSTALLED.compareAndSet(false, true)) {
      throw new IllegalStateException("ChildGuard is already installed");
    }
    long pid = launcher.getAsLong();
    watchParent(() -> parentGone(pid), PARENT_POLL, () -> halt("parent process is gone", pid));
    watchStdin(System.in, onLine, () -> halt("stdin reached end-of-file", pid));
    return true;
  }

  static OptionalLong launcherPid(Properties properties) {
    String value = properties.getProperty(LAUNCHER_PID_PROPERTY);
    if (value == null || value.isBlank()) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(value.trim()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "-D" + LAUNCHER_PID_PROPERTY + " must be a pid, got \"" + value + "\"", e);
    }
  }

  /**
   * Whether this process's parent is no longer the launcher. A dead parent's children are
   * re-parented at its death, even before it is reaped, so this also covers a zombie launcher.
   */
  static boolean parentGone(long launcherPid) {
    return ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L) != launcherPid;
  }

  /** A daemon thread that passes each line of {@code in} to {@code onLine}, then runs onEof. */
  static Thread watchStdin(InputStream in, Consumer<String> onLine, Runnable onEof) {
    Thread thread =
        new Thread(
            () -> {
              try (BufferedReader reader =
                  new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                  deliver(onLine, line);
                }
              } catch (IOException e) {
                // A broken pipe means the same as end-of-file: the launcher's end is gone.
              }
              onEof.run();
            },
            "elaswave-child-guard-stdin");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  /** Checks {@code gone} now and every {@code period} on a daemon thread; runs onGone once. */
  static ScheduledExecutorService watchParent(
      BooleanSupplier gone, Duration period, Runnable onGone) {
    ScheduledExecutorService executor =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "elaswave-child-guard-parent");
              thread.setDaemon(true);
              return thread;
            });
    long nanos = period.toNanos();
    executor.scheduleWithFixedDelay(
        () -> {
          // An exception would silently cancel the periodic task, and with it the guard.
          boolean isGone;
          try {
            isGone = gone.getAsBoolean();
          } catch (RuntimeException e) {
            System.err.println("ChildGuard: parent check failed, will retry: " + e);
            return;
          }
          if (isGone) {
            executor.shutdown();
            onGone.run();
          }
        },
        0,
        nanos,
        TimeUnit.NANOSECONDS);
    return executor;
  }

  private static void deliver(Consumer<String> onLine, String line) {
    try {
      onLine.accept(line);
    } catch (RuntimeException e) {
      // A failing handler must not stop the guard from seeing end-of-file.
      System.err.println("ChildGuard: stdin handler failed on \"" + line + "\": " + e);
    }
  }

  private static void halt(String reason, long launcherPid) {
    System.err.println(
        "ChildGuard: "
            + reason
            + " (launcher pid "
            + launcherPid
            + "), halting with exit code "
            + ORPHANED_EXIT_CODE);
    System.err.flush();
    Runtime.getRuntime().halt(ORPHANED_EXIT_CODE);
  }
}
