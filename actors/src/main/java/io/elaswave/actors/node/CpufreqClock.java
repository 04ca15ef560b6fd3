package io.elaswave.actors.node;

import io.elaswave.planner.frequency.ClockRange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Linux {@code cpufreq} as a node's clock: under {@code /sys/devices/system/cpu/cpufreq}, every
 * {@code policy*} directory's {@code scaling_max_freq} caps the frequency the kernel's governor
 * may choose. Clock 1 is each policy's {@code cpuinfo_max_freq}; the range runs down to the
 * highest {@code cpuinfo_min_freq} over it (no boost: the top is the hardware's). Each policy is
 * set to the same fraction of its own maximum (hybrid cores differ). The limits are machine-wide:
 * use it with one node per machine ({@code elaswave.frequency.governor = cpufreq}); the values
 * found are written back by {@link #restore()} when the node exits.
 */
public final class CpufreqClock implements FrequencyGovernor {
  /** Where Linux keeps it. */
  public static final Path SYSFS = Path.of("/sys/devices/system/cpu/cpufreq");

  private final Map<Path, Long> maxKhz; // policy -> cpuinfo_max_freq
  private final Map<Path, Long> original; // policy -> scaling_max_freq as found
  private final ClockRange range;
  private double clock = 1;

  private CpufreqClock(Map<Path, Long> maxKhz, Map<Path, Long> original, ClockRange range) {
    this.maxKhz = maxKhz;
    this.original = original;
    this.range = range;
  }

  /** The governor of the policies under {@code root}, if there are any and every one is readable and writable. */
  public static Optional<CpufreqClock> detect(Path root) {
    List<Path> policies;
    try (Stream<Path> dirs = Files.list(root)) {
      policies = dirs.filter(p -> p.getFileName().toString().matches("policy\\d+")).sorted().toList();
    } catch (IOException e) {
      return Optional.empty();
    }
    if (policies.isEmpty() || !policies.stream().allMatch(p -> Files.isWritable(p.resolve("scaling_max_freq")))) {
      return Optional.empty();
    }
    Map<Path, Long> max = new LinkedHashMap<>();
    Map<Path, Long> original = new LinkedHashMap<>();
    double min = 0;
    try {
      for (Path p : policies) {
        long top = khz(p.resolve("cpuinfo_max_freq"));
        long bottom = khz(p.resolve("cpuinfo_min_freq"));
        if (top <= 0 || bottom <= 0 || bottom > top) {
          return Optional.empty();
        }
        max.put(p, top);
        original.put(p, khz(p.resolve("scaling_max_freq")));
        min = Math.max(min, (double) bottom / top);
      }
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
    return Optional.of(new CpufreqClock(max, original, new ClockRange(min, 1)));
  }

  @Override public String kind() {
    return "cpufreq";
  }

  @Override public ClockRange range() {
    return range;
  }

  /** The clock last set (1 until then): the limit, not the frequency the kernel runs at this instant. */
  @Override public synchronized double clock() {
    return clock;
  }

  /** Sets every policy; if one refuses, those already set go back to the clock before, and the error says which. */
  @Override public synchronized double set(double f) throws IOException {
    double target = range.clamp(f);
    double before = clock;
    try {
      maxKhz.forEach((policy, top) -> write(policy.resolve("scaling_max_freq"), Math.round(target * top)));
    } catch (java.io.UncheckedIOException e) {
      maxKhz.forEach((policy, top) -> {
        try {
          write(policy.resolve("scaling_max_freq"), Math.round(before * top));
        } catch (java.io.UncheckedIOException ignored) {
          // best effort: the error below names the first failure
        }
      });
      throw e.getCause();
    }
    clock = target;
    return clock;
  }

  /** Writes back the limits found at start (the node exits). */
  public synchronized void restore() {
    original.forEach((policy, khz) -> {
      try {
        write(policy.resolve("scaling_max_freq"), khz);
      } catch (java.io.UncheckedIOException e) {
        // nothing more to do as the JVM exits
      }
    });
  }

  private static long khz(Path file) throws IOException {
    return Long.parseLong(Files.readString(file).trim());
  }

  private static void write(Path file, long khz) {
    try {
      Files.write(file, Long.toString(khz).getBytes(StandardCharsets.US_ASCII), StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(new IOException("cannot write " + khz + " kHz to " + file + ": "
          + e.getMessage()));
    }
  }
}
