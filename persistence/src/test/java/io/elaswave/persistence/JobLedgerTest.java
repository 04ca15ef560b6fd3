package io.elaswave.persistence;

import static io.elaswave.persistence.Fixtures.blockDigests;
import static io.elaswave.persistence.Fixtures.digest;
import static io.elaswave.persistence.Fixtures.loss;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.elaswave.persistence.JobLedger.AdoptPlan;
import io.elaswave.persistence.JobLedger.Command;
import io.elaswave.persistence.JobLedger.CommitStep;
import io.elaswave.persistence.JobLedger.EndJob;
import io.elaswave.persistence.JobLedger.GetState;
import io.elaswave.persistence.JobLedger.ResumeAt;
import io.elaswave.persistence.JobLedger.StartJob;
import io.elaswave.persistence.LedgerEvent.JobEnded;
import io.elaswave.persistence.LedgerEvent.JobResumed;
import io.elaswave.persistence.LedgerEvent.JobStarted;
import io.elaswave.persistence.LedgerEvent.PlanAdopted;
import io.elaswave.persistence.LedgerEvent.StepCommitted;
import io.elaswave.planner.Layout;
import io.elaswave.protocol.runtime.JobSpec;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.testkit.PersistenceTestKitSnapshotPlugin;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.apache.pekko.persistence.testkit.javadsl.SnapshotTestKit;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ledger's rules, on Pekko's test journal. Every command, event and state goes through its
 * real serializer and must come back equal (Kryo for commands, Jackson CBOR for events and state).
 */
class JobLedgerTest {
  private static final AtomicInteger IDS = new AtomicInteger();
  private static final Layout PLAN = Fixtures.layout();
  private static ActorTestKit testKit;

  @BeforeAll static void startSystem() {
    testKit = ActorTestKit.create("JobLedgerTest", EventSourcedBehaviorTestKit.config()
        .withFallback(PersistenceTestKitSnapshotPlugin.config())
        .withFallback(ConfigFactory.parseString("pekko.loglevel = WARNING")));
  }

  @AfterAll static void stopSystem() {
    testKit.shutdownTestKit();
  }

  /** A ledger under its own persistence id, so that tests share the system but no history. */
  private record Ledger(String id, EventSourcedBehaviorTestKit<Command, LedgerEvent, LedgerState> kit) {
    static Ledger create(int snapshotEvery) {
      String id = "ledger-" + IDS.incrementAndGet();
      return new Ledger(id, EventSourcedBehaviorTestKit.create(testKit.system(),
          JobLedger.create(PersistenceId.ofUniqueId(id), snapshotEvery),
          EventSourcedBehaviorTestKit.enabledSerializationSettings().withVerifyEquality(true)));
    }

    CommandResultWithReply<Command, LedgerEvent, LedgerState, Ack> start(JobSpec spec) {
      return kit.runCommand((ActorRef<Ack> r) -> new StartJob(spec, r));
    }

    CommandResultWithReply<Command, LedgerEvent, LedgerState, Ack> adopt(Layout layout) {
      return kit.runCommand((ActorRef<Ack> r) -> new AdoptPlan(layout, "test plan", r));
    }

    CommandResultWithReply<Command, LedgerEvent, LedgerState, Ack> commit(long step, long epoch, long digest) {
      return kit.runCommand((ActorRef<Ack> r) -> new CommitStep(step, epoch, digest, loss(step),
          blockDigests(PLAN, step), r));
    }

    CommandResultWithReply<Command, LedgerEvent, LedgerState, Ack> commit(long step) {
      return commit(step, kit.getState().currentEpoch(), digest(step));
    }

    CommandResultWithReply<Command, LedgerEvent, LedgerState, Ack> end() {
      return kit.runCommand((ActorRef<Ack> r) -> new EndJob(r));
    }

    /** A started job with the first plan and steps 1..steps committed. */
    Ledger running(int steps) {
      accepted(start(Fixtures.spec()));
      accepted(adopt(PLAN));
      for (int s = 1; s <= steps; s++) {
        accepted(commit(s));
      }
      return this;
    }
  }

  private static void accepted(CommandResultWithReply<?, ?, ?, Ack> result) {
    assertEquals(Ack.accepted(), result.reply(), () -> "expected Accepted for " + result.command());
  }

  /** Rejected, saying {@code why}, and nothing stored. */
  private static void rejected(CommandResultWithReply<?, ?, LedgerState, Ack> result, LedgerState before, String why) {
    Ack.Rejected r = assertInstanceOf(Ack.Rejected.class, result.reply(), () -> "expected a rejection of " + result.command());
    assertTrue(r.reason().contains(why), () -> "reason '" + r.reason() + "' does not say '" + why + "'");
    assertTrue(result.hasNoEvents(), "a rejected command stores nothing");
    assertEquals(before, result.state());
  }

  private static LedgerState expectedAfter(long steps) {
    return new LedgerState(Fixtures.spec(), PLAN, null, steps, digest(steps), blockDigests(PLAN, steps), false);
  }

  @Test void happyPathRecordsStartPlanAndSteps() {
    Ledger ledger = Ledger.create(100);

    var started = ledger.start(Fixtures.spec());
    accepted(started);
    assertEquals(new JobStarted(Fixtures.spec()), started.event());

    var adopted = ledger.adopt(PLAN);
    accepted(adopted);
    assertEquals(new PlanAdopted(PLAN, "test plan"), adopted.event());
    assertEquals(1, adopted.state().currentEpoch());

    for (long s = 1; s <= 3; s++) {
      var committed = ledger.commit(s);
      accepted(committed);
      assertEquals(new StepCommitted(s, 1, digest(s), loss(s), blockDigests(PLAN, s)), committed.event());
    }
    LedgerState state = ledger.kit().<LedgerState>runCommand(GetState::new).reply();
    assertEquals(expectedAfter(3), state);
    assertTrue(state.hasActiveJob());
  }

  @Test void restartRecoversTheSameState() {
    Ledger ledger = Ledger.create(100).running(3);
    assertEquals(expectedAfter(3), ledger.kit().restart().state());
    accepted(ledger.commit(4)); // and the recovered ledger carries on from there
    assertEquals(expectedAfter(4), ledger.kit().getState());
  }

  @Test void snapshotPlusLaterEventsRecover() {
    Ledger ledger = Ledger.create(2).running(3); // events: start, plan | step 1, step 2 | step 3
    SnapshotTestKit snapshots = ledger.kit().snapshotTestKit().orElseThrow();
    snapshots.expectNextPersisted(ledger.id(), new LedgerState(Fixtures.spec(), PLAN, null, 0, 0, List.of(), false));
    snapshots.expectNextPersisted(ledger.id(), expectedAfter(2));
    assertEquals(expectedAfter(3), ledger.kit().restart().state()); // the snapshot after event 4, then event 5

    for (long s = 4; s <= 8; s++) {
      accepted(ledger.commit(s));
    }
    // snapshots after events 6, 8 and 10; retention keeps the last two (deleting is asynchronous)
    testKit.createTestProbe().awaitAssert(() -> {
      List<Long> kept = snapshots.persistedInStorage(ledger.id()).stream().map(p -> p.first().sequenceNr()).toList();
      assertEquals(List.of(8L, 10L), kept);
      return kept;
    });
    assertEquals(expectedAfter(8), ledger.kit().restart().state());
  }

  @Test void stalePlansAreRejected() {
    Ledger ledger = Ledger.create(100).running(1);
    accepted(ledger.adopt(PLAN.withEpoch(3)));
    LedgerState before = ledger.kit().getState();
    rejected(ledger.adopt(PLAN.withEpoch(2)), before, "epoch 2 is not newer than the current epoch 3");
    Layout sameEpochOtherPlan = new Layout(3, PLAN.layerCount(), PLAN.microBatches(), PLAN.ranks(), PLAN.stages(),
        PLAN.microBatchRanges(), PLAN.blockOwners(), "another plan");
    rejected(ledger.adopt(sameEpochOtherPlan), before, "epoch 3 is not newer than the current epoch 3");
  }

  @Test void anInstalledPlanIsWhatATakeOverStartsFromWhileANewerOneIsOnlyAdopted() {
    Ledger ledger = Ledger.create(100).running(2);
    assertEquals(PLAN, ledger.kit().getState().installedOrCurrent(), "no install recorded: the current plan");
    var installed = ledger.kit().<Ack>runCommand(r -> new JobLedger.InstallPlan(PLAN.epoch(), r));
    accepted(installed);
    assertEquals(new LedgerEvent.PlanInstalled(PLAN.epoch()), installed.event());
    accepted(ledger.adopt(PLAN.withEpoch(2))); // a change under way: adopted, not installed by every rank
    LedgerState during = ledger.kit().getState();
    assertEquals(2, during.currentEpoch());
    assertEquals(PLAN, during.installed());
    assertEquals(PLAN, ledger.kit().restart().state().installedOrCurrent(), "the install survives a restart");
    rejected(ledger.kit().<Ack>runCommand(r -> new JobLedger.InstallPlan(1, r)), during,
        "the current plan is of epoch 2");
    accepted(ledger.kit().<Ack>runCommand(r -> new JobLedger.InstallPlan(2, r)));
    assertEquals(PLAN.withEpoch(2), ledger.kit().getState().installed());
    var repeat = ledger.kit().<Ack>runCommand(r -> new JobLedger.InstallPlan(2, r));
    accepted(repeat);
    assertTrue(repeat.hasNoEvents(), "a repeat records nothing");
  }

  @Test void stepsMustFollowTheLastCommittedOne() {
    Ledger ledger = Ledger.create(100).running(1);
    LedgerState before = ledger.kit().getState();
    rejected(ledger.commit(3), before, "the last committed step is 1, so the next must be step 2");
    rejected(ledger.commit(0), before, "the next must be step 2");
  }

  @Test void aStepRunUnderAnOldEpochIsRejected() {
    Ledger ledger = Ledger.create(100).running(1);
    accepted(ledger.adopt(PLAN.withEpoch(2)));
    LedgerState before = ledger.kit().getState();
    rejected(ledger.commit(2, 1, digest(2)), before, "it ran under epoch 1, but epoch 2 is current");
    rejected(ledger.commit(2, 5, digest(2)), before, "it claims epoch 5, newer than the current epoch 2");
    accepted(ledger.commit(2, 2, digest(2)));
  }

  @Test void aSecondJobIsRejectedWhileOneIsActive() {
    Ledger ledger = Ledger.create(100).running(2);
    LedgerState before = ledger.kit().getState();
    rejected(ledger.start(Fixtures.otherSpec()), before, "another job is active");
  }

  @Test void commandsOutOfPlaceAreRejected() {
    Ledger ledger = Ledger.create(100);
    rejected(ledger.adopt(PLAN), LedgerState.EMPTY, "no job has started");
    rejected(ledger.commit(1, 1, digest(1)), LedgerState.EMPTY, "no job has started");
    rejected(ledger.end(), LedgerState.EMPTY, "no job has started");
    accepted(ledger.start(Fixtures.spec()));
    LedgerState started = ledger.kit().getState();
    rejected(ledger.commit(1, 0, digest(1)), started, "no plan has been adopted");
    accepted(ledger.adopt(PLAN));
    LedgerState planned = ledger.kit().getState();
    List<BlockDigestEntry> noSuchBlock = List.of(new BlockDigestEntry(PLAN.layerCount(), 0, 1));
    rejected(ledger.kit().runCommand((ActorRef<Ack> r) -> new CommitStep(1, 1, digest(1), loss(1), noSuchBlock, r)),
        planned, "names no block of");
    List<BlockDigestEntry> twice = List.of(new BlockDigestEntry(0, 0, 1), new BlockDigestEntry(0, 0, 2));
    rejected(ledger.kit().runCommand((ActorRef<Ack> r) -> new CommitStep(1, 1, digest(1), loss(1), twice, r)),
        planned, "two block digests for layer 0, block 0");
  }

  @Test void repeatsOfWhatIsRecordedAreAcknowledgedWithoutNewEvents() {
    Ledger ledger = Ledger.create(100).running(2);
    LedgerState before = ledger.kit().getState();
    for (var repeat : List.of(ledger.commit(2), ledger.start(Fixtures.spec()), ledger.adopt(PLAN))) {
      accepted(repeat);
      assertTrue(repeat.hasNoEvents(), () -> "a repeat stores nothing: " + repeat.command());
      assertEquals(before, repeat.state());
    }
    rejected(ledger.commit(2, 1, digest(2) + 1), before, "it is already committed with digest");
  }

  @Test void anEndedJobTakesNoStepsAndMakesRoomForTheNext() {
    Ledger ledger = Ledger.create(100).running(2);
    var ended = ledger.end();
    accepted(ended);
    assertEquals(new JobEnded(), ended.event());
    assertFalse(ended.state().hasActiveJob());
    rejected(ledger.commit(3), ended.state(), "the job has ended");
    var again = ledger.end();
    accepted(again);
    assertTrue(again.hasNoEvents());

    var next = ledger.start(Fixtures.otherSpec());
    accepted(next);
    assertEquals(new LedgerState(Fixtures.otherSpec(), null, null, 0, 0, List.of(), false), next.state());
    assertEquals(next.state(), ledger.kit().restart().state());
  }

  @Test void aJobFromACheckpointResumesAfterItsStep() {
    Ledger ledger = Ledger.create(100);
    JobSpec fromCheckpoint = new JobSpec(Fixtures.spec().config(), 2, 2, "/ckpt/step-40");
    accepted(ledger.start(fromCheckpoint));
    accepted(ledger.adopt(PLAN));
    var resumed = ledger.kit().runCommand((ActorRef<Ack> r) -> new ResumeAt(40, r));
    accepted(resumed);
    assertEquals(new JobResumed(40), resumed.event());
    LedgerState at40 = resumed.state();
    rejected(ledger.commit(1), at40, "the next must be step 41");
    rejected(ledger.kit().runCommand((ActorRef<Ack> r) -> new ResumeAt(30, r)), at40, "step 40 is already recorded");
    accepted(ledger.commit(41));
    assertEquals(41, ledger.kit().restart().state().committedStep());

    Ledger fresh = Ledger.create(100).running(0);
    rejected(fresh.kit().runCommand((ActorRef<Ack> r) -> new ResumeAt(40, r)), fresh.kit().getState(),
        "the job was started without a checkpoint");
  }
}
