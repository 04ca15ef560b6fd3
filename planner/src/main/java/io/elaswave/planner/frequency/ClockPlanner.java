package io.elaswave.planner.frequency;

import io.elaswave.planner.Layout;
import io.elaswave.planner.NodeId;
import io.elaswave.planner.RankId;
import io.elaswave.planner.recovery.Measurements;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Chooses every node's clock for a layout (pure; beside the partitioner, whose imbalance it
 * absorbs). Both modes search one family of plans: a pace τ (time per micro-batch the pipeline
 * keeps) and a fill α ∈ [0, 1]; rank r, whose stage takes t_r at the nominal clock, asks for
 * {@code max(t_r/τ, 1 − α(1 − t_r/τ))} — at α = 1 exactly the clock at which it fills its
 * bubble, at α = 0 its own pace — and a node runs at the highest clock its ranks ask for, within
 * its governor's range (a fixed node stays at 1).
 *
 * <ul>
 *   <li>{@code energy}: τ is the bottleneck's nominal time (no stage runs above nominal); the fill
 *       with the fewest modelled joules per step whose step stays within the tolerance wins, if it
 *       saves at least {@link #MIN_SAVING}.
 *   <li>{@code power-cap=W}: over paces from the bottleneck boosted to its range's top down to the
 *       slowest clocks, the fastest modelled step whose mean power is within W wins; if none is,
 *       the plan of least power, and the reason says the cap cannot be met.
 * </ul>
 * A balanced pipeline asks for no change in energy mode: every stage is a bottleneck.
 */
public final class ClockPlanner {
  /**
   * The least saving of joules per step that energy mode acts on: a nearly balanced pipeline
   * (small's pp3: the head's stage 2 % lighter) is left alone rather than nudged by noise.
   */
  public static final double MIN_SAVING = 0.03;
  /** Grid points of the fill α. */
  static final int FILLS = 64;
  /** Grid points of the pace τ in power-cap mode. */
  static final int PACES = 96;

  private ClockPlanner() {}

  /** The clocks for {@code layout} under {@code mode}; nodes without a range are fixed. */
  public static ClockPlan plan(Layout layout, Measurements m, Map<NodeId, ClockRange> ranges, PowerModel power,
      FrequencyMode mode) {
    return plan(layout, m, ranges, power, mode, 0);
  }

  /**
   * As {@link #plan(Layout, Measurements, Map, PowerModel, FrequencyMode)} for steps that spend
   * {@code overheadMillis} outside compute (measured): the tolerance and the cap are judged on the
   * whole step, as a run measures it.
   */
  public static ClockPlan plan(Layout layout, Measurements m, Map<NodeId, ClockRange> ranges, PowerModel power,
      FrequencyMode mode, double overheadMillis) {
    return plan(layout, m, ranges, power, mode, overheadMillis, 1);
  }

  /**
   * As above, with the fill α at most {@code maxFill} ∈ (0, 1]: how far a waiting stage may be
   * slowed towards filling its bubble. The scheduler lowers it when a plan's measured step came
   * out slower than the model said (on emulated accelerators a slowed node also handles its
   * messages slower, which the 1F1B model does not see).
   */
  public static ClockPlan plan(Layout layout, Measurements m, Map<NodeId, ClockRange> ranges, PowerModel power,
      FrequencyMode mode, double overheadMillis, double maxFill) {
    double cap = Math.max(0, Math.min(1, maxFill));
    Map<NodeId, Double> nominalClocks = nominal(layout);
    Model model = clocks -> ClockModel.step(layout, m, clocks, power, overheadMillis);
    ClockModel.Step nominal = model.step(nominalClocks);
    if (mode instanceof FrequencyMode.Energy e) {
      return energy(layout, m, ranges, model, e, nominal, cap);
    }
    if (mode instanceof FrequencyMode.PowerCap p) {
      return powerCap(layout, m, ranges, model, p, nominal, cap);
    }
    return new ClockPlan(layout.epoch(), "off", nominalClocks, "off: every node at its nominal clock", nominal, nominal);
  }

  /** The modelled step of a set of clocks. */
  private interface Model {
    ClockModel.Step step(Map<NodeId, Double> clocks);
  }

  private static ClockPlan energy(Layout layout, Measurements m, Map<NodeId, ClockRange> ranges, Model model,
      FrequencyMode.Energy mode, ClockModel.Step nominal, double maxFill) {
    double pace = bottleneck(layout, m);
    double limit = nominal.millis() * (1 + mode.tolerance());
    Map<NodeId, Double> best = nominal(layout);
    ClockModel.Step bestStep = nominal;
    for (int i = 1; i <= FILLS; i++) {
      Map<NodeId, Double> clocks = clocks(layout, m, ranges, pace, maxFill * i / FILLS);
      ClockModel.Step s = model.step(clocks);
      if (s.millis() <= limit && s.joules() < bestStep.joules() - 1e-9 * Math.abs(bestStep.joules())) {
        best = clocks;
        bestStep = s;
      }
    }
    if (bestStep.joules() > nominal.joules() * (1 - MIN_SAVING)) {
      best = nominal(layout);
      bestStep = nominal;
    }
    String why = best.equals(nominal(layout))
        ? "energy: no stage waits for the bottleneck long enough to slow within the step tolerance"
        : String.format(Locale.ROOT, "energy: %s; step %+.1f%% (tolerance %.1f%%), joules per step %+.1f%%",
            lowered(best), 100 * (bestStep.millis() / nominal.millis() - 1), 100 * mode.tolerance(),
            100 * (bestStep.joules() / nominal.joules() - 1));
    return new ClockPlan(layout.epoch(), mode.text(), best, why, nominal, bestStep);
  }

  private static ClockPlan powerCap(Layout layout, Measurements m, Map<NodeId, ClockRange> ranges, Model model,
      FrequencyMode.PowerCap mode, ClockModel.Step nominal, double maxFill) {
    double bottleneck = bottleneck(layout, m);
    double top = 1;
    double bottom = 1;
    for (RankId r : layout.rankIds()) {
      ClockRange range = ranges.getOrDefault(layout.nodeOf(r), ClockRange.FIXED);
      top = Math.max(top, range.max());
      bottom = Math.min(bottom, range.min());
    }
    double fastest = bottleneck / top;
    double slowest = bottleneck / bottom;
    Map<NodeId, Double> best = null;
    ClockModel.Step bestStep = null;
    Map<NodeId, Double> leastPower = nominal(layout);
    ClockModel.Step leastStep = nominal;
    List<Double> paces = new java.util.ArrayList<>(List.of(bottleneck)); // the nominal pace itself is a candidate
    for (int i = 0; i <= PACES; i++) {
      paces.add(fastest * Math.pow(slowest / fastest, (double) i / PACES));
    }
    for (double pace : paces) {
      for (int j = 0; j <= FILLS; j += 4) {
        Map<NodeId, Double> clocks = clocks(layout, m, ranges, pace, maxFill * j / FILLS);
        ClockModel.Step s = model.step(clocks);
        if (s.watts() <= mode.watts() && (bestStep == null || s.millis() < bestStep.millis() - 1e-9
            || (Math.abs(s.millis() - bestStep.millis()) <= 1e-9 && s.watts() < bestStep.watts()))) {
          best = clocks;
          bestStep = s;
        }
        if (s.watts() < leastStep.watts()) {
          leastPower = clocks;
          leastStep = s;
        }
      }
    }
    if (best == null) {
      return new ClockPlan(layout.epoch(), mode.text(), leastPower, String.format(Locale.ROOT,
          "power-cap: the cap %.0f W is below the least modelled power %.0f W; %s", mode.watts(), leastStep.watts(),
          lowered(leastPower)), nominal, leastStep);
    }
    String why = String.format(Locale.ROOT, "power-cap: %s; %.0f W of %.0f W (nominal %.0f W), step %+.1f%%",
        lowered(best), bestStep.watts(), mode.watts(), nominal.watts(), 100 * (bestStep.millis() / nominal.millis() - 1));
    return new ClockPlan(layout.epoch(), mode.text(), best, why, nominal, bestStep);
  }

  /** The clocks of pace {@code pace} and fill {@code fill}: a node at the highest its ranks ask for. */
  static Map<NodeId, Double> clocks(Layout layout, Measurements m, Map<NodeId, ClockRange> ranges, double pace,
      double fill) {
    Map<NodeId, Double> out = new TreeMap<>();
    for (RankId r : layout.rankIds()) {
      double own = ClockModel.nominalStageMillis(layout, r, m) / pace;
      double want = Math.max(own, 1 - fill * (1 - own));
      out.merge(layout.nodeOf(r), want, Math::max);
    }
    out.replaceAll((node, f) -> ranges.getOrDefault(node, ClockRange.FIXED).clamp(f));
    return out;
  }

  /** The slowest stage's time per micro-batch at the nominal clock. */
  static double bottleneck(Layout layout, Measurements m) {
    double max = 0;
    for (RankId r : layout.rankIds()) {
      max = Math.max(max, ClockModel.nominalStageMillis(layout, r, m));
    }
    return max;
  }

  private static Map<NodeId, Double> nominal(Layout layout) {
    Map<NodeId, Double> out = new TreeMap<>();
    for (RankId r : layout.rankIds()) {
      out.put(layout.nodeOf(r), 1.0);
    }
    return out;
  }

  /** {@code node-2 0.71, node-3 1.12}: the nodes off their nominal clock. */
  static String lowered(Map<NodeId, Double> clocks) {
    Map<String, String> off = new LinkedHashMap<>();
    clocks.forEach((n, f) -> {
      if (Math.abs(f - 1) > 1e-9) {
        off.put(n.name(), String.format(Locale.ROOT, "%.2f", f));
      }
    });
    List<String> parts = off.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toList();
    return parts.isEmpty() ? "every node nominal" : "clocks " + String.join(", ", parts);
  }
}
