package io.elaswave.planner.frequency;

import io.elaswave.planner.Require;
import java.util.Locale;

/** What the clock planner aims at. */
public sealed interface FrequencyMode {
  /** Every node at its nominal clock; the planner is not asked. */
  record Off() implements FrequencyMode {}

  /**
   * Lower every stage that waits for the bottleneck towards the clock at which it just fills its
   * bubble, while the modelled step stays within {@code tolerance} (0.02: 2 %) of the nominal one.
   */
  record Energy(double tolerance) implements FrequencyMode {
    public Energy {
      Require.that(Double.isFinite(tolerance) && tolerance >= 0 && tolerance < 1,
          "the energy mode's step-time tolerance must be in [0, 1), got " + tolerance);
    }
  }

  /** Keep the job's modelled mean power within {@code watts}, clock moved to the bottleneck for speed. */
  record PowerCap(double watts) implements FrequencyMode {
    public PowerCap {
      Require.that(Double.isFinite(watts) && watts > 0, "a power cap must be > 0 W, got " + watts);
    }
  }

  FrequencyMode OFF = new Off();

  /** The step-time tolerance of {@code energy} unless configured. */
  double DEFAULT_TOLERANCE = 0.02;

  /**
   * Reads {@code off}, {@code energy} or {@code power-cap=W} (watts, e.g. {@code power-cap=900}).
   *
   * @throws IllegalArgumentException in one line
   */
  static FrequencyMode parse(String text, double tolerance) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.equals("off")) {
      return OFF;
    }
    if (t.equals("energy")) {
      return new Energy(tolerance);
    }
    if (t.startsWith("power-cap=")) {
      String w = t.substring("power-cap=".length()).replaceAll("w$", "");
      if (!w.matches("\\d{1,7}(\\.\\d{1,3})?")) {
        throw new IllegalArgumentException("--frequency '" + text + "': expected power-cap=WATTS, e.g. power-cap=900");
      }
      double watts = Double.parseDouble(w);
      if (watts <= 0) {
        throw new IllegalArgumentException("--frequency '" + text + "': a power cap must be > 0 W");
      }
      return new PowerCap(watts);
    }
    throw new IllegalArgumentException("--frequency '" + text + "': expected off, energy or power-cap=WATTS");
  }

  /** {@code off}, {@code energy}, {@code power-cap=900}: as {@link #parse} reads it. */
  default String text() {
    if (this instanceof PowerCap p) {
      return "power-cap=" + (p.watts() == Math.rint(p.watts()) ? Long.toString((long) p.watts())
          : Double.toString(p.watts()));
    }
    return this instanceof Energy ? "energy" : "off";
  }
}
