package io.elaswave.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.elaswave.persistence.journal.JournalConfigs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** elaswave-journal-inmem.conf as the embedded runtime uses it: a ledger stopped and started again in one JVM. */
class InMemoryJournalTest {
  @TempDir static Path snapshots;
  private static ActorTestKit testKit;

  @BeforeAll static void startSystem() {
    testKit = ActorTestKit.create("InMemoryJournalTest",
        JournalConfigs.inMemory(snapshots).withFallback(ConfigFactory.parseString("pekko.loglevel = WARNING")));
  }

  @AfterAll static void stopSystem() {
    testKit.shutdownTestKit();
  }

  @Test void aRestartedLedgerRecoversFromSnapshotFilesAndEvents() throws IOException {
    PersistenceId pid = PersistenceId.ofUniqueId("inmem-ledger");
    TestProbe<Ack> acks = testKit.createTestProbe();
    ActorRef<JobLedger.Command> ledger = testKit.spawn(JobLedger.create(pid, 2));
    ledger.tell(new JobLedger.StartJob(Fixtures.spec(), acks.ref()));
    acks.expectMessage(Ack.accepted());
    ledger.tell(new JobLedger.AdoptPlan(Fixtures.layout(), "initial", acks.ref()));
    acks.expectMessage(Ack.accepted());
    for (long s = 1; s <= 3; s++) {
      ledger.tell(new JobLedger.CommitStep(s, 1, Fixtures.digest(s), Fixtures.loss(s),
          Fixtures.blockDigests(Fixtures.layout(), s), acks.ref()));
      acks.expectMessage(Ack.accepted());
    }
    TestProbe<LedgerState> states = testKit.createTestProbe();
    ledger.tell(new JobLedger.GetState(states.ref()));
    LedgerState before = states.receiveMessage();

    testKit.stop(ledger);
    ActorRef<JobLedger.Command> again = testKit.spawn(JobLedger.create(pid, 2));
    again.tell(new JobLedger.GetState(states.ref()));
    assertEquals(before, states.receiveMessage());
    try (Stream<Path> files = Files.list(snapshots)) {
      assertTrue(files.anyMatch(f -> f.getFileName().toString().startsWith("snapshot-")), "snapshots are files in the configured dir");
    }
  }
}
