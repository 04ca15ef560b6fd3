package io.elaswave.app.launch;

import io.elaswave.protocol.fault.Fault;
import io.elaswave.protocol.fault.FaultParser;
import java.util.ArrayList;
import java.util.List;

/**
 * A fixed share of CPU time, in cores (0.4: 4 ms of every 10 ms), that makes a node JVM on a
 * shared machine behave like an accelerator of fixed speed: its control group's CFS quota is
 * {@code cpus × period}. The period is short, so that a throttled JVM stalls for a few
 * milliseconds and not for the kernel default's 100 ms: an accelerator runs its kernels slower
 * but answers a message at once, and with 100 ms periods every round trip of a step that comes
 * after the quota is spent waits up to 60 ms (measured: the step of {@code small} dp4, G = 12 at
 * 0.4 cores). The JVM is sized to the budget, so that it does not run more threads than the
 * budget can feed.
 *
 * @param cpus cores, from {@link FaultParser#MIN_CPUS} (the kernel's 1 ms smallest quota) up
 */
public record CpuBudget(double cpus) {
  /** The CFS period for budgets of at least 0.1 cores, microseconds. */
  public static final long SHORT_PERIOD_MICROS = 10_000;

  /** The kernel's smallest quota, microseconds. */
  public static final long MIN_QUOTA_MICROS = 1_000;

  public CpuBudget {
    if (!Double.isFinite(cpus) || cpus < FaultParser.MIN_CPUS) {
      throw new IllegalArgumentException("a CPU budget must be at least " + FaultParser.MIN_CPUS + " cores, got "
          + cpus);
    }
  }

  /**
   * Reads {@code number} (cores, a plain decimal) and refuses 0, negatives, malformed text and
   * more than {@code cores}, the machine's; {@code what} (e.g. {@code --node-cpus 'node-2=0'})
   * starts the one-line message.
   */
  public static CpuBudget parse(String number, String what, int cores) {
    String t = number.trim();
    if (!t.matches("\\d{1,6}(\\.\\d{0,6})?|\\.\\d{1,6}")) {
      throw new IllegalArgumentException(what + ": expected a number of cores, e.g. 0.4");
    }
    double cpus = Double.parseDouble(t);
    if (cpus < FaultParser.MIN_CPUS) {
      throw new IllegalArgumentException(what + ": a budget must be at least " + FaultParser.MIN_CPUS + " cores");
    }
    CpuBudget budget = new CpuBudget(cpus);
    budget.checkFits(what, cores);
    return budget;
  }

  /** @throws IllegalArgumentException if the budget is more than {@code cores}, this machine's */
  public void checkFits(String what, int cores) {
    if (cpus > cores) {
      throw new IllegalArgumentException(what + ": more than this machine's " + cores + " cores");
    }
  }

  /**
   * The CFS period, microseconds: {@link #SHORT_PERIOD_MICROS}, or longer where the quota would
   * fall below the kernel's 1 ms (a budget under 0.1 cores), so the budget is exact either way.
   */
  public long periodMicros() {
    long least = (long) Math.ceil(MIN_QUOTA_MICROS / cpus);
    return Math.min(1_000_000, Math.max(SHORT_PERIOD_MICROS, least)); // the kernel allows up to 1 s
  }

  /** The CFS quota per {@link #periodMicros()}, microseconds. */
  public long quotaMicros() {
    return Math.max(MIN_QUOTA_MICROS, Math.round(cpus * periodMicros()));
  }

  /** What the JVM is told it has: {@code max(1, ceil(cpus))}. */
  public int processors() {
    return Math.max(1, (int) Math.ceil(cpus));
  }

  /**
   * JVM options sized to the budget: its processor count, the budget itself (the nominal of the
   * node's clock, {@link CgroupClock}), and below one core a single GC thread
   * and the fewest JIT threads, which would otherwise spend the budget competing with the ranks;
   * and the step deadline's times stretched by 1 / cpus, because a rank busy in a cold-JIT
   * micro-batch at 0.2 cores cannot answer a probe within the default 3 s and would be written
   * off as hung (measured: two ranks of `small` lost in step 1).
   */
  public List<String> jvmOptions() {
    List<String> options = new ArrayList<>(List.of("-XX:ActiveProcessorCount=" + processors(),
        "-D" + Governors.NOMINAL_CPUS + "=" + text())); // the clock's nominal budget (Governors)
    if (cpus < 1) {
      options.addAll(List.of("-XX:ParallelGCThreads=1", "-XX:CICompilerCount=2"));
      double stretch = 1 / cpus;
      options.add(String.format(java.util.Locale.ROOT, "-Delaswave.step-deadline.probe-timeout=%dms",
          Math.round(3_000 * stretch)));
      options.add(String.format(java.util.Locale.ROOT, "-Delaswave.step-deadline.floor=%dms",
          Math.round(3_000 * stretch)));
      options.add(String.format(java.util.Locale.ROOT, "-Delaswave.step-deadline.first-steps=%dms",
          Math.round(30_000 * stretch)));
      options.add(acceptablePause());
    }
    return List.copyOf(options);
  }

  /**
   * The cluster failure detector's allowance stretched the same way (4 s at a core and above):
   * a node at 0.2 cores warming its JIT sent heartbeats seconds late and the split-brain
   * resolver downed it while the job started. Deaths are still seen at once by the scheduler's
   * own check; this is only the backstop.
   */
  public String acceptablePause() {
    return String.format(java.util.Locale.ROOT, "-Dpekko.cluster.failure-detector.acceptable-heartbeat-pause=%dms",
        Math.round(4_000 / Math.min(1, cpus)));
  }

  /** {@code 0.4}, {@code 1}: as typed. */
  public String text() {
    return Fault.Slow.cores(cpus);
  }

  @Override public String toString() {
    return text() + " cpus";
  }
}
