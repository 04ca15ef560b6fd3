package io.elaswave.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The simulator's own behaviour on jobs small enough for a unit test (64 nodes, a week). */
class SimulationTest {
  private static final FailureModel OFTEN = new FailureModel(0.05, 1, 4); // a node fails every 20 days

  private static SimConfig job(String policy, FailureModel failures, double days, long seed) {
    return new SimConfig(ModelPreset.LLAMA3_8B, Hardware.H100, failures, 512, 64, 8, 256, days, policy, seed,
        new PlanTime.Fixed(0.05));
  }

  @Test
  void aSeedGivesTheSameResultAndEveryPolicyTheSameFailures() {
    SimResult a = new Simulation(job("elaswave", OFTEN, 7, 3)).run(f -> { });
    SimResult b = new Simulation(job("elaswave", OFTEN, 7, 3)).run(f -> { });
    assertEquals(simulated(a), simulated(b), "a fixed plan time makes the result a function of the seed");
    assertEquals(a.plannerMillis().count(), b.plannerMillis().count(), "the planner's own wall time is measured");
    SimResult other = new Simulation(job("elaswave", OFTEN, 7, 4)).run(f -> { });
    assertTrue(other.failures() != a.failures() || other.ettr() != a.ettr(), "another seed, other failures");
    for (String p : List.of("torchft", "recycle", "restart")) {
      SimResult r = new Simulation(job(p, OFTEN, 7, 3)).run(f -> { });
      assertEquals(a.failures(), r.failures(), p + " sees the same failures");
      assertEquals(a.repairs(), r.repairs(), p + " sees the same repairs");
    }
    assertTrue(a.failures() > 5, "64 nodes at 0.05 a node-day fail ~22 times a week: " + a.failures());
  }

  @Test
  void withoutFailuresTheJobRunsAtItsNominalPace() {
    SimResult r = new Simulation(job("elaswave", new FailureModel(1e-9, 1, 4), 2, 1)).run(f -> { });
    assertEquals(0, r.failures());
    assertTrue(r.ettr() > 0.9999 && r.ettr() <= 1, "only the last partial step is missing: " + r.ettr());
    assertEquals(0, r.downSeconds());
    assertEquals(2, r.days().size(), "one ETTR sample a day");
  }

  @Test
  void liveRecoveryBeatsACheckpointRestartAndKeepsTheBatch() {
    Map<String, SimResult> r = new HashMap<>();
    for (String p : List.of("elaswave", "torchft", "restart")) {
      r.put(p, new Simulation(job(p, OFTEN, 7, 11)).run(f -> { }));
    }
    SimResult elaswave = r.get("elaswave");
    SimResult restart = r.get("restart");
    assertTrue(elaswave.ettr() > restart.ettr(), "10-minute restarts and redone steps cost more: " + r);
    assertTrue(elaswave.stepsRedone() < elaswave.failures() + 1e-9,
        "a live recovery loses at most the step in flight: " + elaswave.stepsRedone());
    assertTrue(restart.stepsRedone() > elaswave.stepsRedone(), r.toString());
    assertTrue(elaswave.mttr().p50() < 5 && restart.mttr().p50() >= Hardware.H100.restartSeconds(), r.toString());
    double fullStep = 256.0 * ModelPreset.LLAMA3_8B.tokensPerMicroBatch();
    assertEquals(elaswave.committedSteps() * fullStep, elaswave.goodput() * 7 * 86_400, 1e-6 * fullStep,
        "every ElasWave step trains the whole global batch");
    SimResult torchft = r.get("torchft");
    assertTrue(torchft.goodput() * 7 * 86_400 < torchft.committedSteps() * fullStep - 1,
        "a stopped TorchFT replica shrinks the batch of the steps meanwhile: " + torchft);
    assertTrue(torchft.shortBatchSteps() > 0 && elaswave.shortBatchSteps() == 0, r.toString());
  }

  /** The result without the planner's measured wall time, the one figure a seed does not fix. */
  private static SimResult simulated(SimResult r) {
    return new SimResult(r.policy(), r.model(), r.accelerators(), r.dp(), r.pp(), r.microBatches(), r.simulatedDays(),
        r.seed(), r.nominalStepSeconds(), r.nominalTokensPerSecond(), r.failures(), r.repairs(), r.stalls(), r.slowdowns(),
        r.speedReplans(), r.ettr(),
        r.goodput(), r.committedSteps(), r.shortBatchSteps(), r.stepsRedone(), r.degradedSeconds(), r.downSeconds(), r.mttr(),
        Percentiles.of(List.of()), r.days());
  }

  @Test
  void aSlowNodeIsPlannedAroundByThePolicyThatReplansForSpeed() {
    FailureModel rare = new FailureModel(1e-9, 1, 4);
    SlowdownModel half = new SlowdownModel(0.2, 0.5, 6); // a node turns half-speed every 5 days, for 6 h
    Map<String, SimResult> r = new HashMap<>();
    for (String p : List.of("elaswave", "torchft")) {
      r.put(p, new Simulation(new SimConfig(ModelPreset.LLAMA3_8B, Hardware.H100, rare, half, 512, 64, 8, 256, 7, p, 5,
          new PlanTime.Fixed(0.05))).run(f -> { }));
    }
    SimResult elaswave = r.get("elaswave");
    SimResult torchft = r.get("torchft");
    assertEquals(0, elaswave.failures());
    assertTrue(elaswave.slowdowns() > 5, "64 nodes at 0.2 a node-day turn slow ~90 times a week: " + elaswave);
    assertEquals(elaswave.slowdowns(), torchft.slowdowns(), "every policy sees the same slowdowns");
    assertTrue(elaswave.speedReplans() > 0, "layers and micro-batches move off the slow node: " + elaswave);
    assertEquals(0, torchft.speedReplans(), "TorchFT does not re-plan for speed");
    assertTrue(torchft.degradedSeconds() > 0 && torchft.ettr() < 1, torchft.toString());
    assertTrue(elaswave.ettr() > torchft.ettr(), "a slow stage paces the whole job until planned around: " + r);
    SimResult noSlow = new Simulation(job("elaswave", OFTEN, 7, 3)).run(f -> { });
    SimResult withSlow = new Simulation(new SimConfig(ModelPreset.LLAMA3_8B, Hardware.H100, OFTEN, half, 512, 64, 8,
        256, 7, "elaswave", 3, new PlanTime.Fixed(0.05))).run(f -> { });
    assertEquals(noSlow.failures(), withSlow.failures(), "slowdowns draw from their own stream");
    assertEquals(noSlow.repairs(), withSlow.repairs());
    assertThrows(IllegalArgumentException.class, () -> new SlowdownModel(0.1, 1.5, 1));
  }

  @Test
  void theFailureModelHasTheMeanItIsGiven() {
    for (double shape : new double[] {1, 0.7, 1.5}) {
      FailureModel m = new FailureModel(0.01, shape, 4);
      SplittableRandom rng = new SplittableRandom(7);
      double sum = 0;
      int n = 200_000;
      for (int i = 0; i < n; i++) {
        sum += m.nextFailure(rng);
      }
      assertEquals(100 * 86_400, sum / n, 100 * 86_400 * 0.02, "mean time to failure, shape " + shape);
    }
    assertEquals(0.886226925452758, FailureModel.gamma(1.5), 1e-12);
    assertEquals(1.0, FailureModel.gamma(2.0), 1e-12);
    assertEquals(0.419 / 0.054 / 2048, FailureModel.LLAMA3.failuresPerNodeDay(), 1e-12);
  }

  @Test
  void aJobThatDoesNotFitIsRefusedWithTheReason() {
    assertThrows(IllegalArgumentException.class, () -> job("elaswave", OFTEN, 0, 1));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SimConfig(
        ModelPreset.LLAMA3_8B, Hardware.H100, OFTEN, 512, 64, 4, 256, 1, "elaswave", 1, new PlanTime.Measured()));
    assertTrue(e.getMessage().contains("every accelerator"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ModelPreset.named("gpt-5"));
  }
}
