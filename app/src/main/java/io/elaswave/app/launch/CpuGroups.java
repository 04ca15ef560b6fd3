package io.elaswave.app.launch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The control-group hierarchy of this machine's {@code cpu} controller, and the few files a CPU
 * budget needs in it: cgroup v2 ({@code cpu.max} = "QUOTA PERIOD", the controller enabled in the
 * root's {@code cgroup.subtree_control}) or cgroup v1 ({@code cpu.cfs_period_us} and
 * {@code cpu.cfs_quota_us}), whichever holds the controller (on a hybrid machine that is v1).
 * Groups are made directly under the hierarchy's root: v2 forbids enabling a controller below a
 * group that holds processes, and the root is exempt.
 */
public final class CpuGroups {
  /** Which cgroup interface holds the cpu controller. */
  public enum Version { V1, V2 }

  private static final Duration REMOVE_PACE = Duration.ofMillis(20);

  private final Version version;
  private final Path root;

  CpuGroups(Version version, Path root) {
    this.version = version;
    this.root = root;
  }

  /**
   * The cpu controller's hierarchy, from {@code /proc/self/mountinfo}.
   *
   * @throws IOException in one line if there is none (no cgroups, or cpu not among a v2 mount's controllers)
   */
  public static CpuGroups detect() throws IOException {
    List<String> mounts;
    try {
      mounts = Files.readAllLines(Path.of("/proc/self/mountinfo"));
    } catch (IOException e) {
      throw new IOException("no /proc/self/mountinfo: control groups need Linux");
    }
    return find(mounts, CpuGroups::readOrEmpty).orElseThrow(() -> new IOException(
        "no cpu controller: neither a cgroup v1 cpu hierarchy nor cgroup v2 with cpu in its cgroup.controllers"));
  }

  /** The v1 mount with the cpu option, else the v2 mount whose {@code cgroup.controllers} lists cpu. */
  static Optional<CpuGroups> find(List<String> mountinfo, Function<Path, String> read) {
    Path v2 = null;
    for (String line : mountinfo) {
      int dash = line.indexOf(" - ");
      String[] left = line.substring(0, Math.max(dash, 0)).split(" ");
      String[] right = dash < 0 ? new String[0] : line.substring(dash + 3).split(" ");
      if (left.length < 5 || right.length < 3) {
        continue;
      }
      Path mount = Path.of(left[4].replace("\\040", " "));
      if (right[0].equals("cgroup") && Arrays.asList(right[2].split(",")).contains("cpu")) {
        return Optional.of(new CpuGroups(Version.V1, mount));
      }
      if (right[0].equals("cgroup2") && v2 == null && words(read.apply(mount.resolve("cgroup.controllers")))
          .contains("cpu")) {
        v2 = mount;
      }
    }
    return Optional.ofNullable(v2).map(m -> new CpuGroups(Version.V2, m));
  }

  public Version version() {
    return version;
  }

  /** The hierarchy's root directory, e.g. {@code /sys/fs/cgroup/cpu} (v1) or {@code /sys/fs/cgroup} (v2). */
  public Path root() {
    return root;
  }

  /** Group {@code name}'s directory. */
  public Path group(String name) {
    return root.resolve(name);
  }

  /** Makes group {@code name} with {@code budget}; a half-made group is removed again. */
  public Path create(String name, CpuBudget budget) throws IOException {
    if (version == Version.V2) {
      enableController();
    }
    Path group = group(name);
    try {
      Files.createDirectory(group);
    } catch (AccessDeniedException e) {
      throw new IOException("cannot create control group " + group + ": permission denied (needs root)");
    } catch (IOException e) {
      throw new IOException("cannot create control group " + group + ": " + e);
    }
    try {
      setBudget(group, budget);
      return group;
    } catch (IOException | RuntimeException e) {
      remove(group, Duration.ZERO);
      throw e;
    }
  }

  /** Rewrites the group's quota; takes effect at the next period. */
  public void setBudget(Path group, CpuBudget budget) throws IOException {
    if (version == Version.V2) {
      write(group.resolve("cpu.max"), budget.quotaMicros() + " " + budget.periodMicros());
    } else {
      write(group.resolve("cpu.cfs_period_us"), Long.toString(budget.periodMicros()));
      write(group.resolve("cpu.cfs_quota_us"), Long.toString(budget.quotaMicros()));
    }
  }

  /** The group's budget as the kernel has it: quota / period, or empty if unlimited. */
  public Optional<Double> cpus(Path group) throws IOException {
    long quota;
    long period;
    if (version == Version.V2) {
      String[] max = Files.readString(group.resolve("cpu.max")).trim().split("\\s+");
      if (max[0].equals("max")) {
        return Optional.empty();
      }
      quota = Long.parseLong(max[0]);
      period = Long.parseLong(max[1]);
    } else {
      quota = Long.parseLong(Files.readString(group.resolve("cpu.cfs_quota_us")).trim());
      period = Long.parseLong(Files.readString(group.resolve("cpu.cfs_period_us")).trim());
    }
    return quota < 0 ? Optional.empty() : Optional.of((double) quota / period);
  }

  /** Moves process {@code pid}, every thread of it, into the group. */
  public void enter(Path group, long pid) throws IOException {
    write(group.resolve("cgroup.procs"), Long.toString(pid));
  }

  /**
   * Moves one thread ({@code tid}) of a process into {@code group}: cgroup v1 only, whose
   * {@code tasks} file takes single threads; v2 keeps a process's threads in one group unless the
   * subtree is made threaded.
   *
   * @throws IOException in one line on v2, or if the kernel refuses
   */
  public void enterThread(Path group, long tid) throws IOException {
    if (version == Version.V2) {
      throw new IOException("cgroup v2 places whole processes: thread " + tid + " stays where it is");
    }
    write(group.resolve("tasks"), Long.toString(tid));
  }

  /** Moves process {@code pid} back to the root group, e.g. so that its own group can be removed. */
  public void leave(long pid) throws IOException {
    write(root.resolve("cgroup.procs"), Long.toString(pid));
  }

  /** The processes in the group (none if it is gone). */
  public List<Long> pids(Path group) {
    return words(readOrEmpty(group.resolve("cgroup.procs"))).stream().map(Long::parseLong).toList();
  }

  /** How many periods the kernel has throttled the group (cpu.stat's nr_throttled), v1 and v2 alike. */
  public long throttledPeriods(Path group) throws IOException {
    for (String line : Files.readAllLines(group.resolve("cpu.stat"))) {
      if (line.startsWith("nr_throttled ")) {
        return Long.parseLong(line.substring("nr_throttled ".length()).trim());
      }
    }
    return 0;
  }

  /**
   * Removes the group, retrying within {@code within}: a group can only go once empty, and a
   * process that has just exited may still count for a moment. Returns whether it is gone.
   */
  public boolean remove(Path group, Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      try {
        Files.deleteIfExists(group); // rmdir: a group's files are the kernel's, not entries to delete
        return true;
      } catch (IOException e) {
        if (System.nanoTime() >= deadline) {
          return !Files.exists(group);
        }
        LockSupport.parkNanos(REMOVE_PACE.toNanos());
      }
    }
  }

  /** The names of the groups directly under the root that start with {@code prefix}. */
  public List<String> names(String prefix) {
    try (Stream<Path> all = Files.list(root)) {
      return all.filter(Files::isDirectory).map(p -> p.getFileName().toString()).filter(n -> n.startsWith(prefix))
          .sorted().toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  /** v2: makes sure the root hands the cpu controller to its groups. */
  private void enableController() throws IOException {
    if (!words(readOrEmpty(root.resolve("cgroup.subtree_control"))).contains("cpu")) {
      write(root.resolve("cgroup.subtree_control"), "+cpu");
    }
  }

  /** Writes a cgroup file in place: no create, no truncate; the kernel answers each write. */
  private static void write(Path file, String value) throws IOException {
    try {
      Files.write(file, value.getBytes(StandardCharsets.US_ASCII), StandardOpenOption.WRITE);
    } catch (AccessDeniedException e) {
      throw new IOException("cannot write " + file + ": permission denied (needs root)");
    } catch (NoSuchFileException e) {
      throw new IOException("cannot write " + file + ": no such file");
    } catch (IOException e) {
      throw new IOException("cannot write '" + value + "' to " + file + ": " + e.getMessage());
    }
  }

  static String readOrEmpty(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "";
    }
  }

  private static List<String> words(String text) {
    List<String> words = new ArrayList<>();
    for (String w : text.trim().split("\\s+")) {
      if (!w.isEmpty()) {
        words.add(w);
      }
    }
    return words;
  }

  @Override public String toString() {
    return "cgroup " + (version == Version.V2 ? "v2" : "v1") + " at " + root;
  }
}
