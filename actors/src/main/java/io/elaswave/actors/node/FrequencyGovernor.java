package io.elaswave.actors.node;

import io.elaswave.planner.frequency.ClockRange;
import java.io.IOException;

/**
 * Sets and reads a node's clock as a fraction of its nominal speed. Implementations:
 * {@code CgroupClock} (the app's launcher: an emulated accelerator's CPU budget is its clock,
 * exact and testable on any Linux machine with cgroups), {@link CpufreqClock} (Linux
 * {@code cpufreq}: {@code scaling_max_freq} of every policy, where present and writable) and
 * {@link FixedClock} (no governor: the node reports "fixed" and stays at 1).
 *
 * <p>A GPU governor goes here too, and is not shipped: NVML's application clocks
 * ({@code nvmlDeviceGetSupportedGraphicsClocks} for the range,
 * {@code nvmlDeviceSetApplicationsClocks(device, memClock, graphicsClock)} to set, with the
 * default application clock as nominal; it needs root or
 * {@code nvidia-smi -acp UNRESTRICTED}). It would implement this interface and be chosen where
 * {@code Governors.detect} chooses, in the node's own JVM, one per device.
 *
 * <p>Clocks change time, never a bit: nothing here touches the arithmetic.
 */
public interface FrequencyGovernor {
  /** {@code cgroup}, {@code cpufreq}, {@code fixed}, ... */
  String kind();

  /** The clocks it can set. */
  ClockRange range();

  /** The clock now, read back from what it governs. */
  double clock() throws IOException;

  /**
   * Sets the clock, clamped to {@link #range()}; returns the clock read back.
   *
   * @throws IOException in one line if it cannot (the clock is then unchanged)
   */
  double set(double clock) throws IOException;

  /**
   * The node's ranks are about to compute for the first time: a clock not yet set takes effect
   * now. A node may boot, warm and join the cluster on the host's whole CPU (an emulated
   * accelerator's budget models its compute, not its host's control plane); what it computes for
   * the job runs at its clock. Nothing for a governor whose clock is always in effect.
   *
   * @throws IOException in one line if it cannot
   */
  default void enterJob() throws IOException {}
}
