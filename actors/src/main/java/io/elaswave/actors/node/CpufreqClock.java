package io.elaswave.actors.node;

import io.elaswave.planner.frequency.ClockRange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Linux {@code cpufreq} as a node's clock: under {@code /sys/devices/system/cpu/cpufreq}, every
 * {@code policy*} directory's {@code scaling_max_freq} caps the frequency the kernel's governor
 * may choose (and {@code scaling_setspeed} sets it, under the {@code userspace} governor). The
 * nominal clock is {@code base_frequency} where the driver reports one (intel_pstate), else
 * {@code cpuinfo_max_freq}; the range runs from {@code cpuinfo_min_freq} to
 * {@code cpuinfo_max_freq} over it. All policies get the same clock: one node, one machine.
 */
public final class CpufreqClock implements FrequencyGovernor {
  /** Where Linux keeps it. */
  public static final Path SYSFS = Path.of("/sys/devices/system/cpu/cpufreq");

  private final List<Path> policies;
  private final long nominalKhz;
  private final ClockRange range;

  private CpufreqClock(List<Path> policies, long nominalKhz, ClockRange range) {
    this.policies = policies;
    this.nominalKhz = nominalKhz;
    this.range = range;
  }

  /** The governor of the policies under {@code root}, if there are any and every one is writable. */
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
    try {
      Path first = policies.get(0);
      long max = khz(first.resolve("cpuinfo_max_freq"));
      long min = khz(first.resolve("cpuinfo_min_freq"));
      long nominal = Files.exists(first.resolve("base_frequency")) ? khz(first.resolve("base_frequency")) : max;
      if (nominal <= 0 || min <= 0 || min > nominal || max < nominal) {
        return Optional.empty();
      }
      return Optional.of(new CpufreqClock(policies, nominal, new ClockRange((double) min / nominal,
          (double) max / nominal)));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  @Override public String kind() {
    return "cpufreq";
  }

  @Override public ClockRange range() {
    return range;
  }

  @Override public double clock() throws IOException {
    return (double) khz(policies.get(0).resolve("scaling_max_freq")) / nominalKhz;
  }

  @Override public double set(double clock) throws IOException {
    long khz = Math.round(range.clamp(clock) * nominalKhz);
    for (Path policy : policies) {
      write(policy.resolve("scaling_max_freq"), khz);
      Path setspeed = policy.resolve("scaling_setspeed");
      if (Files.isWritable(setspeed) && Files.readString(setspeed).trim().matches("\\d+")) {
        write(setspeed, khz); // the userspace governor: it runs at what it is told
      }
    }
    return clock();
  }

  private static long khz(Path file) throws IOException {
    return Long.parseLong(Files.readString(file).trim());
  }

  private static void write(Path file, long khz) throws IOException {
    try {
      Files.write(file, Long.toString(khz).getBytes(StandardCharsets.US_ASCII), StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING);
    } catch (IOException e) {
      throw new IOException("cannot write " + khz + " kHz to " + file + ": " + e.getMessage());
    }
  }
}
