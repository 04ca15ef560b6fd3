package io.elaswave.app.launch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The host's share of a budgeted node JVM: its JIT compiler threads leave the budget for the
 * hierarchy's root (cgroup v1). An emulated accelerator's speed is that of its kernels, and
 * compiling them is the host's work, as a GPU job's kernel and graph compilation runs on the
 * host's CPU, not on the device. Inside a 0.2-core budget C2 was the largest consumer of a node's
 * first minutes (9 of 24 CPU seconds on eight nodes, 2026-12-07), more on the node that also
 * hosts the scheduler because it compiles more code, and that node's kernels measured half as
 * fast as the same stage's on another node of the same budget. Threads a compiler thread starts
 * later inherit its group. On cgroup v2 (whole processes only) the compilers stay in the budget.
 */
public final class HostThreads {
  /** Thread names (as {@code /proc/.../comm} truncates them) of HotSpot's JIT compilers. */
  static final List<String> COMPILERS = List.of("C1 CompilerThre", "C2 CompilerThre");

  private HostThreads() {}

  /** What {@link #releaseCompilers} did, for the node's log. */
  public record Released(List<Long> threads, String why) {
    @Override public String toString() {
      return threads.isEmpty() ? "JIT compilers in the budget (" + why + ")"
          : "JIT compilers outside the budget: threads " + threads + " (" + why + ")";
    }
  }

  /** Moves this JVM's compiler threads to the root of {@code groups}' hierarchy; never throws. */
  public static Released releaseCompilers(CpuGroups groups) {
    if (groups.version() == CpuGroups.Version.V2) {
      return new Released(List.of(), "cgroup v2 keeps a process's threads in one group");
    }
    List<Long> moved = new ArrayList<>();
    try {
      for (long tid : compilers(threadNames(Path.of("/proc/self/task")))) {
        groups.enterThread(groups.root(), tid);
        moved.add(tid);
      }
      return new Released(moved, moved.isEmpty() ? "none found" : "host work, as on a real device's host");
    } catch (IOException | RuntimeException e) {
      return new Released(moved, "could not move them all: " + e.getMessage());
    }
  }

  /** The compiler threads among {@code names} (thread id to name). */
  static List<Long> compilers(Map<Long, String> names) {
    return names.entrySet().stream().filter(e -> COMPILERS.stream().anyMatch(e.getValue()::startsWith))
        .map(Map.Entry::getKey).toList();
  }

  /** Thread id to name under a {@code /proc/<pid>/task} directory; threads that exit meanwhile are skipped. */
  static Map<Long, String> threadNames(Path tasks) throws IOException {
    Map<Long, String> names = new TreeMap<>();
    try (Stream<Path> all = Files.list(tasks)) {
      for (Path t : (Iterable<Path>) all::iterator) {
        try {
          names.put(Long.parseLong(t.getFileName().toString()), Files.readString(t.resolve("comm")).trim());
        } catch (IOException | NumberFormatException e) {
          // gone, or not a thread directory
        }
      }
    }
    return names;
  }
}
