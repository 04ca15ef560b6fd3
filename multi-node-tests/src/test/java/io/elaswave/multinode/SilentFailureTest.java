package io.elaswave.multinode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.elaswave.app.launch.NodeProcess;
import io.elaswave.engine.optim.AdamWConfig;
import io.elaswave.engine.train.TrainConfig;
import io.elaswave.protocol.runtime.JobSpec;
import io.elaswave.protocol.runtime.Recovery;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;

/**
 * Failures seen as silence: a frozen host (SIGSTOP: sockets open, nothing answers) and a cut
 * link (nodes in network namespaces, one link taken down; root only). The majority side downs
 * the silent node and re-plans, or takes the job over when the silent node ran the scheduler;
 * the silent node, when it wakes up or stays cut off, exits with status 3 and never commits
 * again (the ledger shows its writer never returns); a blip shorter than the failure detector's
 * pause changes nothing. Every committed step equals the reference trainer's.
 */
@Tag("multijvm")
class SilentFailureTest {
  /**
   * A silent worker: the failure detector's pause (4 s), 2 s of silence, the re-plan; no step
   * takes longer. A silent scheduler: the split-brain resolver downs it (pause + stable-after
   * 2 s), its removal and the singleton's hand-over, the ledger replay and the 1 s take-over
   * grace — seconds more, on two shared cores.
   */
  private static final long WORKER_BOUND_MILLIS = 15_000;
  private static final long STEP_BOUND_MILLIS = 30_000;
  private static final Duration EXIT_BOUND = Duration.ofSeconds(30);

  private static TrainConfig tiny(int steps) {
    return new TrainConfig("tiny", 1337, steps, 4, 2, 3e-3f, 3e-4f, 2, 20, AdamWConfig.defaults(), 0, 2);
  }

  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void aFrozenWorkerIsDownedAndExitsWhenItWakesUp(TestInfo test) throws Exception {
    try (Run run = run(test, false, new FaultScript().freeze("node-2", 3, Duration.ofMillis(30), 0))) {
      Recovery r = run.onlyRecovery();
      assertTrue(Set.of("unreachable", "node-downed").contains(r.cause()), r.toString());
      assertEquals(List.of(io.elaswave.planner.NodeId.of("node-2")), r.nodes());
      assertTrue(r.readyAtMillis() - run.outcome.faultAtMillis().get("node-2") < WORKER_BOUND_MILLIS, r.toString());
      run.harness.thaw("node-2"); // it wakes up after the job went on without it
      assertExitsDowned(run.harness.node("node-2"));
    }
  }

  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void aFrozenSchedulerIsReplacedAndNeverCommitsAgain(TestInfo test) throws Exception {
    try (Run run = run(test, false, new FaultScript().freeze("node-0", 3, Duration.ofMillis(30), 0))) {
      assertEquals("scheduler-failover", run.onlyRecovery().cause());
      run.harness.thaw("node-0"); // the old scheduler wakes up: it must commit nothing and exit
      assertExitsDowned(run.harness.node("node-0"));
      run.assertOneTakeOverInTheLedger();
    }
  }

  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void aWorkerCutOffForGoodIsDownedAndDownsItself(TestInfo test) throws Exception {
    assumeRoot();
    try (Run run = run(test, true, new FaultScript().partition("node-2", 3, Duration.ofMillis(30), 0))) {
      Recovery r = run.onlyRecovery();
      assertTrue(Set.of("unreachable", "node-downed").contains(r.cause()), r.toString());
      assertTrue(r.readyAtMillis() - run.outcome.faultAtMillis().get("node-2") < WORKER_BOUND_MILLIS, r.toString());
      assertExitsDowned(run.harness.node("node-2"));
    }
  }

  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void theSchedulersNodeCutOffForGoodIsReplacedAndNeverCommitsAgain(TestInfo test) throws Exception {
    assumeRoot();
    try (Run run = run(test, true, new FaultScript().partition("node-0", 3, Duration.ofMillis(30), 0))) {
      assertEquals("scheduler-failover", run.onlyRecovery().cause());
      assertExitsDowned(run.harness.node("node-0"));
      run.assertOneTakeOverInTheLedger();
    }
  }

  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void aBlipShorterThanTheFailureDetectorsPauseChangesNothing(TestInfo test) throws Exception {
    assumeRoot();
    try (Run run = run(test, true, new FaultScript().partition("node-2", 3, Duration.ofMillis(30), 1))) {
      assertEquals(List.of(), run.outcome.recoveries(), "a one-second blip is waited out");
      assertTrue(run.harness.node("node-2").isAlive(), "the node that blinked is still a member");
    }
  }

  /** A started harness of four nodes (dp4), the script's outcome, checked against the reference. */
  private record Run(ClusterHarness harness, FaultScript.Outcome outcome) implements AutoCloseable {
    Recovery onlyRecovery() {
      assertEquals(1, outcome.recoveries().size(), outcome.recoveries().toString());
      return outcome.recoveries().get(0);
    }

    void assertOneTakeOverInTheLedger() throws Exception {
      LedgerAudit audit = LedgerAudit.read(harness.journalUrl());
      assertEquals(2, audit.assertWritersNeverReturn().size(), "the first scheduler, then its successor only");
      audit.assertEachStepCommittedOnce(outcome.commits().size());
    }

    /** Each test holds its run in try-with-resources: a failed assertion still removes its JVMs and namespaces. */
    @Override public void close() {
      harness.close();
      assertTrue(harness.allExited(), "a node JVM outlived the harness");
    }
  }

  private static Run run(TestInfo test, boolean netns, FaultScript script) throws Exception {
    TrainConfig config = tiny(7);
    ClusterHarness harness = ClusterHarness.start(ClusterHarness.settings(4, 1, TestCluster.logs(test))
        .withNetns(netns), TestCluster.DRIVER);
    try {
      harness.client().start(new JobSpec(config, 4, 1, ""));
      FaultScript.Outcome outcome = script.run(harness, config.steps());
      ReferenceRun.assertMatches(config, outcome);
      for (Recovery r : outcome.recoveries()) { // from the instant the fault struck, on this machine's clock
        long struck = outcome.faultAtMillis().values().stream().mapToLong(Long::longValue).min().orElseThrow();
        assertTrue(r.readyAtMillis() - struck < STEP_BOUND_MILLIS, "recovered " + (r.readyAtMillis() - struck)
            + " ms after the fault: " + r);
      }
      return new Run(harness, outcome);
    } catch (Exception | AssertionError e) {
      harness.close();
      throw e;
    }
  }

  /** The node exits by itself, with status 3 (downed), within the bound. */
  private static void assertExitsDowned(NodeProcess node) throws Exception {
    Integer code = node.onExit().get(EXIT_BOUND.toSeconds(), TimeUnit.SECONDS);
    assertEquals(3, code, node.name() + " exited with " + code + "; its last lines: " + node.lastLines());
  }

  private static void assumeRoot() {
    assumeTrue("root".equals(System.getProperty("user.name")), "needs root for network namespaces");
  }
}
