package io.elaswave.multinode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.elaswave.actors.client.JobHaltedException;
import io.elaswave.engine.data.Corpus;
import io.elaswave.engine.optim.AdamWConfig;
import io.elaswave.engine.param.Digest;
import io.elaswave.engine.train.Checkpoint;
import io.elaswave.engine.train.StepResult;
import io.elaswave.engine.train.TrainConfig;
import io.elaswave.protocol.runtime.DriverMessage;
import io.elaswave.protocol.runtime.JobSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job ledger's PostgreSQL goes away mid-run. Back within the limit: the step in flight waits
 * uncommitted, the scheduler says so once, and when the database returns every step is
 * committed exactly once, bitwise. Gone past the limit: the job halts with its reason, its
 * ranks' state after the last whole step is checkpointed, and a job resumed from that
 * checkpoint goes on bitwise.
 */
@Tag("multijvm")
class JournalOutageTest {
  private static final TrainConfig CONFIG =
      new TrainConfig("tiny", 1337, 8, 4, 2, 3e-3f, 3e-4f, 2, 20, AdamWConfig.defaults(), 0, 2);
  private static final String DOWN = "the job ledger's journal does not answer";
  private static final String BACK = "the job ledger's journal answers again";

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void aJournalThatComesBackLosesNoStepAndRepeatsNone(TestInfo test) throws Exception {
    assumeTrue(ThrowawayPostgres.available() || System.getenv("CI") != null, "no PostgreSQL server binaries here");
    List<StepResult> expected = ReferenceRun.of(CONFIG);
    Path logs = TestCluster.logs(test);
    try (ThrowawayPostgres pg = ThrowawayPostgres.start();
        ClusterHarness harness = ClusterHarness.start(ClusterHarness.settings(2, 1, logs).withJournal(pg.url()),
            TestCluster.DRIVER)) {
      harness.client().start(new JobSpec(CONFIG, 2, 1, ""));
      for (StepResult want : expected) {
        DriverMessage.StepCommitted got;
        if (want.step() == 4) {
          pg.stop();
          CompletableFuture<DriverMessage.StepCommitted> step = CompletableFuture.supplyAsync(
              () -> harness.client().step(want.step()));
          NodeLogs.await(logs, DOWN);
          assertFalse(step.isDone(), "step 4 was answered while the journal was down");
          pg.resume();
          got = step.get(60, TimeUnit.SECONDS);
        } else {
          got = harness.client().step(want.step());
        }
        assertEquals(Digest.hex(want.digest()), Digest.hex(got.digest()), "digest of step " + want.step());
        assertTrue(got.recoveries().isEmpty(), "no recovery: " + got.recoveries());
      }
      assertEquals(1, NodeLogs.count(logs, DOWN), "the outage is said once");
      assertEquals(1, NodeLogs.count(logs, BACK), "and its end once");
      LedgerAudit.read(pg.url()).assertEachStepCommittedOnce(expected.size());
    }
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void aJournalGoneForGoodHaltsTheJobWithAResumableCheckpoint(TestInfo test, @TempDir Path checkpoints)
      throws Exception {
    assumeTrue(ThrowawayPostgres.available() || System.getenv("CI") != null, "no PostgreSQL server binaries here");
    List<StepResult> expected = ReferenceRun.of(CONFIG);
    Path logs = TestCluster.logs(test);
    var settings = ClusterHarness.settings(2, 1, logs);
    settings = settings.withExtraJvmOptions(java.util.stream.Stream.concat(settings.extraJvmOptions().stream(),
        java.util.stream.Stream.of("-Delaswave.journal-outage-limit=6s")).toList());
    try (ThrowawayPostgres pg = ThrowawayPostgres.start();
        ClusterHarness harness = ClusterHarness.start(settings.withJournal(pg.url()), TestCluster.DRIVER)) {
      harness.client().start(new JobSpec(CONFIG, 2, 1, ""));
      for (long s = 1; s <= 3; s++) {
        harness.client().step(s);
      }
      pg.stop();
      long t0 = System.nanoTime();
      JobHaltedException halted = assertThrows(JobHaltedException.class, () -> harness.client().step(4));
      long waited = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
      assertEquals(4, halted.step(), halted.getMessage());
      assertTrue(halted.getMessage().contains("did not answer for"), halted.getMessage());
      assertTrue(waited >= 5 && waited < 40, "halted after " + waited + " s, limit 6 s");
      // the ranks still hold step 4, computed but never committed: it is what gets checkpointed
      var state = harness.client().collectState();
      assertEquals(4, state.step());
      Path dir = new Checkpoint(CONFIG, Corpus.tinyShakespeare().vocab().chars(), state).write(checkpoints);
      harness.client().stop(); // promptly, though the journal is still away

      pg.resume(); // the next job, resumed from the checkpoint, goes on bitwise from step 5
      DriverMessage.JobStarted resumed = harness.client().start(
          new JobSpec(CONFIG, 2, 1, dir.toAbsolutePath().toString()));
      assertEquals(4, resumed.step());
      for (StepResult want : expected.subList(4, expected.size())) {
        assertEquals(Digest.hex(want.digest()), Digest.hex(harness.client().step(want.step()).digest()),
            "digest of step " + want.step() + " after the resume");
      }
    }
  }
}
