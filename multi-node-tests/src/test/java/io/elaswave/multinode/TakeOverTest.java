package io.elaswave.multinode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.elaswave.engine.optim.AdamWConfig;
import io.elaswave.engine.train.TrainConfig;
import io.elaswave.protocol.runtime.JobSpec;
import io.elaswave.protocol.runtime.Recovery;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;

/**
 * The scheduler's node dies while the job is moving to a new layout after another node's death:
 * the new scheduler re-plans from the layout every rank installed (the ledger says which), not
 * from the plan some ranks never took; ranks that took it undo it by the plan's base epoch. Every
 * step equals the reference trainer's.
 */
@Tag("multijvm")
class TakeOverTest {
  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void theSchedulersNodeDiesDuringAReconfiguration(TestInfo test) throws Exception {
    // five ranks, one a node, buddies in a ring r0→r1→…→r4→r0: losing r0 and r2 keeps every block
    TrainConfig config = new TrainConfig("tiny", 1337, 6, 5, 2, 3e-3f, 3e-4f, 2, 20, AdamWConfig.defaults(), 0, 2);
    ClusterHarness harness = ClusterHarness.start(5, 1, TestCluster.logs(test), TestCluster.DRIVER);
    try (harness) {
      harness.client().start(new JobSpec(config, 5, 1, ""));
      FaultScript.Outcome outcome = new FaultScript()
          .kill("node-2", 3, Duration.ofMillis(30))
          .kill("node-0", 3, Duration.ofMillis(450)) // about when node-2's re-plan is being installed
          .run(harness, config.steps());
      ReferenceRun.assertMatches(config, outcome);
      List<Recovery> recoveries = outcome.recoveries();
      assertTrue(recoveries.stream().anyMatch(r -> r.cause().equals("scheduler-failover")), recoveries.toString());
      assertTrue(recoveries.stream().allMatch(r -> r.abandonedStep() >= 3 && r.abandonedStep() <= 4),
          recoveries.toString());
      String last = outcome.commits().get((long) config.steps()).layout();
      assertTrue(last.startsWith("dp3xpp1"), last);
      assertFalse(harness.node("node-0").isAlive());
      assertFalse(harness.node("node-2").isAlive());
    }
    assertTrue(harness.allExited(), "a node JVM outlived the harness");
  }
}
