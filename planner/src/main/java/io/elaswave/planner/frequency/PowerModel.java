package io.elaswave.planner.frequency;

import io.elaswave.planner.Require;

/**
 * A device's power: {@code staticWatts} whenever it is on, plus {@code dynamicWatts × f^exponent}
 * while it computes at clock {@code f} (CMOS: dynamic power ∝ f·V² with the voltage scaled with
 * the clock, so f³; a measured table would replace the exponent). Work at a lower clock takes
 * 1/f as long, so the dynamic energy of a fixed amount of work goes as f^(exponent − 1), while
 * the static energy goes with wall time: slowing a stage saves energy only while it does not
 * lengthen the step. One device per rank. On emulated accelerators these joules are modelled
 * from measured busy and idle time, not metered.
 */
public record PowerModel(double staticWatts, double dynamicWatts, double exponent) {
  /** Defaults shaped like a data-centre accelerator: 60 W idle, 340 W more at full load (400 W). */
  public static final PowerModel DEFAULT = new PowerModel(60, 340, 3);

  public PowerModel {
    Require.that(Double.isFinite(staticWatts) && staticWatts >= 0, "static power must be >= 0 W, got " + staticWatts);
    Require.that(Double.isFinite(dynamicWatts) && dynamicWatts > 0, "dynamic power must be > 0 W, got " + dynamicWatts);
    Require.that(Double.isFinite(exponent) && exponent >= 1 && exponent <= 4,
        "the power exponent must be in [1, 4], got " + exponent);
  }

  /** Power while computing at {@code clock}, watts. */
  public double busyWatts(double clock) {
    return staticWatts + dynamicWatts * Math.pow(clock, exponent);
  }

  /** Joules of one device over {@code wallSeconds}, of which {@code busySeconds} computing at {@code clock}. */
  public double joules(double clock, double busySeconds, double wallSeconds) {
    double busy = Math.min(Math.max(busySeconds, 0), Math.max(wallSeconds, 0));
    return staticWatts * Math.max(wallSeconds, 0) + dynamicWatts * Math.pow(clock, exponent) * busy;
  }

  /** Mean power of a device busy {@code busyShare} of the time at {@code clock}, watts. */
  public double meanWatts(double clock, double busyShare) {
    return staticWatts + dynamicWatts * Math.pow(clock, exponent) * Math.min(1, Math.max(0, busyShare));
  }
}
