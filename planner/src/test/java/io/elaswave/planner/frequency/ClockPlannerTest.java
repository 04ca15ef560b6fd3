package io.elaswave.planner.frequency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.elaswave.engine.model.ModelConfig;
import io.elaswave.planner.Layout;
import io.elaswave.planner.ModelProfile;
import io.elaswave.planner.NodeId;
import io.elaswave.planner.PlanRequest;
import io.elaswave.planner.RankInfo;
import io.elaswave.planner.StaticPlanner;
import io.elaswave.planner.recovery.Measurements;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The clock planner's properties on the 1F1B model: energy never lengthens the step beyond its tolerance, power-cap never exceeds its cap. */
class ClockPlannerTest {
  private static final ModelProfile SMALL = ModelProfile.estimate(ModelConfig.preset("small", 65), 1);
  private static final ClockRange EMULATED = new ClockRange(0.3, 1.5);

  private static Layout pipeline(int dp, int pp, int microBatches, ModelProfile profile) {
    return StaticPlanner.plan(PlanRequest.of(RankInfo.packed(dp * pp, 1, "node-"), dp, pp, microBatches, profile));
  }

  private static Map<NodeId, ClockRange> everyNode(Layout layout, ClockRange range) {
    Map<NodeId, ClockRange> out = new HashMap<>();
    layout.ranks().forEach(r -> out.put(r.node(), range));
    return out;
  }

  @Test
  void aBalancedPipelineKeepsEveryClockInEnergyMode() {
    Layout layout = pipeline(1, 3, 16, SMALL); // 8 layers split 3 | 2 | 3: two blocks each, the ends nearly free
    ClockPlan plan = ClockPlanner.plan(layout, Measurements.estimated(SMALL), everyNode(layout, EMULATED),
        PowerModel.DEFAULT, new FrequencyMode.Energy(0.02));
    assertTrue(plan.nominalOnly(), plan.toString());
    ModelProfile even = new ModelProfile(new double[] {1, 1, 1, 1, 1, 1}, new long[6], new int[] {1, 1, 1, 1, 1, 1}, 64);
    Layout balanced = pipeline(1, 3, 16, even);
    Measurements m = Measurements.estimated(even);
    ClockModel.Step nominal = ClockModel.step(balanced, m, Map.of(), PowerModel.DEFAULT);
    ClockPlan capped = ClockPlanner.plan(balanced, m, everyNode(balanced, EMULATED), PowerModel.DEFAULT,
        new FrequencyMode.PowerCap(nominal.watts()));
    assertTrue(capped.nominalOnly(), "no clock to shift in a balanced pipeline: " + capped.reason());
  }

  @Test
  void energyModeSlowsTheStagesThatWaitAndSavesJoules() {
    Layout layout = pipeline(1, 4, 32, SMALL); // stages of 2, 2, 1, 1 blocks
    ClockPlan plan = ClockPlanner.plan(layout, Measurements.estimated(SMALL), everyNode(layout, EMULATED),
        PowerModel.DEFAULT, new FrequencyMode.Energy(0.02));
    assertTrue(plan.planned().millis() <= plan.nominal().millis() * 1.02 + 1e-9, plan.reason());
    assertTrue(plan.planned().joules() < 0.9 * plan.nominal().joules(), plan.reason());
    long slowed = plan.clocks().values().stream().filter(f -> f < 1).count();
    assertEquals(2, slowed, plan.reason());
    assertTrue(plan.clocks().values().stream().allMatch(f -> f <= 1), "energy mode never boosts: " + plan.reason());
    assertTrue(plan.reason().startsWith("energy: clocks "), plan.reason());
  }

  @Test
  void fixedNodesStayNominal() {
    Layout layout = pipeline(1, 4, 32, SMALL);
    ClockPlan plan = ClockPlanner.plan(layout, Measurements.estimated(SMALL), Map.of(), PowerModel.DEFAULT,
        new FrequencyMode.Energy(0.02));
    assertTrue(plan.nominalOnly(), plan.reason());
    ClockPlan capped = ClockPlanner.plan(layout, Measurements.estimated(SMALL), Map.of(), PowerModel.DEFAULT,
        new FrequencyMode.PowerCap(10_000));
    assertTrue(capped.nominalOnly(), capped.reason());
  }

  @Test
  void powerCapAtTheNominalPowerMovesClockToTheBottleneckForSpeed() {
    Layout layout = pipeline(1, 4, 32, SMALL);
    Measurements m = Measurements.estimated(SMALL);
    ClockModel.Step nominal = ClockModel.step(layout, m, Map.of(), PowerModel.DEFAULT);
    ClockPlan plan = ClockPlanner.plan(layout, m, everyNode(layout, EMULATED), PowerModel.DEFAULT,
        new FrequencyMode.PowerCap(nominal.watts()));
    assertTrue(plan.planned().watts() <= nominal.watts() + 1e-9, plan.reason());
    assertTrue(plan.planned().millis() < 0.95 * nominal.millis(), plan.reason());
    assertTrue(plan.clocks().values().stream().anyMatch(f -> f > 1), "the bottleneck is boosted: " + plan.reason());
  }

  @Test
  void aCapBelowTheLeastPowerSaysSoAndRunsAtTheLeast() {
    Layout layout = pipeline(1, 4, 32, SMALL);
    ClockPlan plan = ClockPlanner.plan(layout, Measurements.estimated(SMALL), everyNode(layout, EMULATED),
        PowerModel.DEFAULT, new FrequencyMode.PowerCap(1));
    assertTrue(plan.reason().contains("below the least modelled power"), plan.reason());
    assertTrue(plan.clocks().values().stream().allMatch(f -> f < 1), plan.reason());
  }

  /** Random pipelines, costs, speeds, ranges and caps: the modes' promises hold on every one. */
  @Test
  void energyNeverLengthensBeyondItsToleranceAndPowerCapNeverExceedsItsCap() {
    Random rnd = new Random(11);
    for (int trial = 0; trial < 300; trial++) {
      int layers = 3 + rnd.nextInt(8);
      int dp = 1 + rnd.nextInt(2);
      int pp = 1 + rnd.nextInt(Math.min(layers, 4));
      int g = dp * (1 + rnd.nextInt(12));
      double[] costs = new double[layers];
      for (int l = 0; l < layers; l++) {
        costs[l] = 0.1 + 10 * rnd.nextDouble();
      }
      ModelProfile p = new ModelProfile(costs, new long[layers], ones(layers), 64);
      Layout layout = pipeline(dp, pp, g, p);
      Map<io.elaswave.planner.RankId, Double> speeds = new HashMap<>();
      layout.rankIds().forEach(r -> speeds.put(r, 0.5 + rnd.nextDouble()));
      Measurements m = new Measurements(p, speeds, new long[layers], Long.MAX_VALUE, 10);
      Map<NodeId, ClockRange> ranges = new HashMap<>();
      layout.ranks().forEach(r -> ranges.put(r.node(), rnd.nextInt(5) == 0 ? ClockRange.FIXED
          : new ClockRange(0.2 + 0.7 * rnd.nextDouble(), 1 + rnd.nextDouble())));
      PowerModel power = new PowerModel(10 + 100 * rnd.nextDouble(), 50 + 400 * rnd.nextDouble(), 2 + rnd.nextDouble());
      double tolerance = 0.05 * rnd.nextDouble();
      double overhead = rnd.nextBoolean() ? 0 : 50 * rnd.nextDouble(); // measured time outside compute
      ClockPlan energy = ClockPlanner.plan(layout, m, ranges, power, new FrequencyMode.Energy(tolerance), overhead);
      assertTrue(energy.planned().millis() <= energy.nominal().millis() * (1 + tolerance) + 1e-9,
          "trial " + trial + ": " + energy.reason());
      assertTrue(energy.planned().joules() <= energy.nominal().joules() + 1e-9, "trial " + trial);
      ClockModel.Step nominal = ClockModel.step(layout, m, Map.of(), power, overhead);
      assertEquals(nominal, energy.nominal(), "the plan's nominal step counts the overhead");
      double cap = nominal.watts() * (0.6 + 0.8 * rnd.nextDouble());
      ClockPlan capped = ClockPlanner.plan(layout, m, ranges, power, new FrequencyMode.PowerCap(cap), overhead);
      if (capped.reason().contains("below the least")) {
        assertTrue(capped.planned().watts() > cap, "trial " + trial + ": said unmeetable, yet " + capped.reason());
      } else {
        assertTrue(capped.planned().watts() <= cap + 1e-9, "trial " + trial + ": " + capped.reason());
      }
      if (cap >= nominal.watts()) {
        assertTrue(capped.planned().millis() <= nominal.millis() + 1e-9, "trial " + trial + ": " + capped.reason());
      }
      for (var e : capped.clocks().entrySet()) {
        ClockRange range = ranges.get(e.getKey());
        assertTrue(e.getValue() >= range.min() - 1e-12 && e.getValue() <= range.max() + 1e-12, "trial " + trial);
      }
    }
  }

  @Test
  void modesParseAndRefuseInOneLine() {
    assertEquals(FrequencyMode.OFF, FrequencyMode.parse("off", 0.02));
    assertEquals(new FrequencyMode.Energy(0.02), FrequencyMode.parse("energy", 0.02));
    assertEquals(new FrequencyMode.PowerCap(900), FrequencyMode.parse("power-cap=900", 0.02));
    assertEquals("power-cap=900", FrequencyMode.parse("power-cap=900W", 0.02).text());
    for (String bad : List.of("", "fast", "power-cap=", "power-cap=-3", "power-cap=0", "power-cap=1e9")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FrequencyMode.parse(bad, 0.02));
      assertTrue(e.getMessage().startsWith("--frequency '"), e.getMessage());
    }
  }

  @Test
  void thePowerModelSavesEnergyOnlyWhileTheWallTimeHolds() {
    PowerModel p = new PowerModel(60, 340, 3);
    assertEquals(60 * 2 + 340 * 1.0, p.joules(1, 1, 2), 1e-9);
    // the same work at half the clock takes twice as long and a quarter of the dynamic energy
    assertEquals(60 * 2 + 340 * 0.125 * 2, p.joules(0.5, 2, 2), 1e-9);
    assertEquals(60 + 340 * 0.5, p.meanWatts(1, 0.5), 1e-9);
    assertThrows(IllegalArgumentException.class, () -> new PowerModel(-1, 340, 3));
    assertThrows(IllegalArgumentException.class, () -> new ClockRange(1.2, 1.5));
  }

  private static int[] ones(int n) {
    int[] out = new int[n];
    java.util.Arrays.fill(out, 1);
    return out;
  }
}
