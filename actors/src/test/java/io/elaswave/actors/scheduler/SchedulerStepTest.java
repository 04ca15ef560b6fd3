package io.elaswave.actors.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.elaswave.actors.node.NodeSystem;
import io.elaswave.engine.optim.AdamWConfig;
import io.elaswave.engine.train.TrainConfig;
import io.elaswave.planner.BlockId;
import io.elaswave.planner.Layout;
import io.elaswave.planner.NodeId;
import io.elaswave.planner.RankId;
import io.elaswave.protocol.runtime.BlockDigest;
import io.elaswave.protocol.runtime.BlockNorm;
import io.elaswave.protocol.runtime.DriverMessage;
import io.elaswave.protocol.runtime.JobSpec;
import io.elaswave.protocol.runtime.NodeMessage;
import io.elaswave.protocol.runtime.RankMessage;
import io.elaswave.protocol.runtime.RankRefs;
import io.elaswave.protocol.runtime.SchedulerMessage;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The scheduler's step transaction against scripted ranks (test probes): a step commits once
 * every report is in; a step whose rank stays silent past the deadline is probed, the silent
 * rank is written off, the survivors are moved to a new layout and the step is redone under it;
 * a joiner lost while its join is being carried out leaves the job on its installed layout.
 */
class SchedulerStepTest {
  private static final NodeId NODE = NodeId.of("node-0");
  private static final Duration WAIT = Duration.ofSeconds(10);

  private ActorSystem<?> system;
  private ActorTestKit kit;
  private TestProbe<NodeMessage> guardian;
  private TestProbe<DriverMessage> driver;
  private ActorRef<SchedulerMessage> scheduler;
  private List<TestProbe<RankMessage>> ranks;
  private org.apache.pekko.actor.Cancellable heartbeats;

  @BeforeEach
  void start() {
    system = NodeSystem.start(new NodeSystem.Settings("driver", "127.0.0.1", 0, List.of(), 0,
        Set.of(NodeSystem.DRIVER_ROLE)), ConfigFactory.parseString("""
            pekko.loglevel = WARNING
            pekko.coordinated-shutdown.exit-jvm = off
            pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off
            elaswave.step-deadline { first-steps = 600ms, floor = 600ms, probe-timeout = 400ms }
            """));
    kit = ActorTestKit.create(system);
    guardian = kit.createTestProbe();
    driver = kit.createTestProbe();
    ranks = List.of(kit.createTestProbe(), kit.createTestProbe());
    scheduler = kit.spawn(Scheduler.create(), "scheduler");
    // the node beats as a guardian does, every 100 ms (a scheduler acts only while most nodes
    // beat); this JVM's pid: were it silent, it would be alive, so slow, never dead
    SchedulerMessage.NodeAvailable beat = new SchedulerMessage.NodeAvailable(NODE, 2, ProcessHandle.current().pid(),
        "127.0.0.1:1", List.of(), guardian.getRef());
    scheduler.tell(beat);
    heartbeats = system.scheduler().scheduleAtFixedRate(Duration.ofMillis(100), Duration.ofMillis(100),
        () -> scheduler.tell(beat), system.executionContext());
  }

  @AfterEach
  void stop() {
    heartbeats.cancel();
    kit.shutdownTestKit();
  }

  @Test void aStepCommitsWhenEveryReportIsIn() {
    Layout layout = startJob();
    scheduler.tell(new SchedulerMessage.RunNextStep(1, driver.getRef()));
    runStep(layout, 1, Set.of(0, 1));
    DriverMessage.StepCommitted committed = driver.expectMessageClass(DriverMessage.StepCommitted.class, WAIT);
    assertEquals(1, committed.step());
    assertTrue(committed.recoveries().isEmpty());
  }

  @Test void aRankSilentPastTheDeadlineIsWrittenOffAndTheStepRedone() {
    Layout layout = startJob();
    scheduler.tell(new SchedulerMessage.RunNextStep(1, driver.getRef()));
    ranks.forEach(r -> r.expectMessageClass(RankMessage.RunStep.class, WAIT));
    // r0 answers its probe; r1 hangs: it answers nothing
    RankMessage.Probe probe = ranks.get(0).expectMessageClass(RankMessage.Probe.class, WAIT);
    ranks.get(1).expectMessageClass(RankMessage.Probe.class, WAIT);
    probe.replyTo().tell(new SchedulerMessage.ProbeAnswered(probe.epoch(), probe.attempt(), RankId.of(0)));
    RankMessage.Reconfigure change = ranks.get(0).expectMessageClass(RankMessage.Reconfigure.class, WAIT);
    assertEquals(layout.epoch() + 1, change.next().epoch());
    assertFalse(change.next().contains(RankId.of(1)), change.next().describe());
    assertEquals(0, change.committedStep(), "the abandoned step rolls back to the committed one");
    assertEquals(new NodeMessage.StopRank(RankId.of(1)), guardian.expectMessageClass(NodeMessage.StopRank.class, WAIT));
    scheduler.tell(new SchedulerMessage.Reconfigured(change.next().epoch(), RankId.of(0)));
    ranks.get(0).expectMessageClass(RankMessage.ChangeCommitted.class, WAIT);
    runStep(change.next(), 1, Set.of(0));
    DriverMessage.StepCommitted committed = driver.expectMessageClass(DriverMessage.StepCommitted.class, WAIT);
    assertEquals(1, committed.step());
    assertEquals(1, committed.recoveries().size());
    assertEquals("step-deadline", committed.recoveries().get(0).cause());
    assertEquals(List.of(RankId.of(1)), committed.recoveries().get(0).ranks());
    ranks.get(1).expectNoMessage(Duration.ofMillis(200)); // written off: never asked again
  }

  @Test void aSlowRankIsPlannedAroundAndALossDuringThatChangeLosesOnlyTheDeadRank() {
    Layout layout = startJob(4);
    double[] millisPerLayer = {1.0, 3.0}; // r1 runs at a third of r0's speed
    // speeds are judged from the WARM_STEPS-th commit on, and the gain must hold for STREAK commits
    long decided = io.elaswave.planner.recovery.SpeedWatch.WARM_STEPS + io.elaswave.planner.recovery.SpeedWatch.STREAK
        - 1;
    for (long s = 1; s <= decided; s++) {
      scheduler.tell(new SchedulerMessage.RunNextStep(s, driver.getRef()));
      runStep(layout, s, Set.of(0, 1), millisPerLayer);
      driver.expectMessageClass(DriverMessage.StepCommitted.class, WAIT);
    }
    long step = decided + 1;
    RankMessage.Reconfigure speed = ranks.get(0).expectMessageClass(RankMessage.Reconfigure.class, WAIT);
    assertEquals(List.of(3, 1), speed.next().microBatchRanges().stream().map(r -> r.size()).toList(),
        speed.next().describe());
    assertTrue(speed.next().reason().contains("r1"), speed.next().reason());
    ranks.get(1).expectMessageClass(RankMessage.Reconfigure.class, WAIT);
    // r1 fails before anyone answered: the speed change is replaced, r0 (alive) is not lost with it
    scheduler.tell(new SchedulerMessage.RankFailed(NODE, RankId.of(1), "boom"));
    RankMessage.Reconfigure loss = ranks.get(0).expectMessageClass(RankMessage.Reconfigure.class, WAIT);
    assertEquals(speed.next().epoch() + 1, loss.next().epoch());
    assertEquals(List.of(RankId.of(0)), loss.next().rankIds());
    scheduler.tell(new SchedulerMessage.Reconfigured(loss.next().epoch(), RankId.of(0)));
    ranks.get(0).expectMessageClass(RankMessage.ChangeCommitted.class, WAIT);
    scheduler.tell(new SchedulerMessage.RunNextStep(step, driver.getRef()));
    runStep(loss.next(), step, Set.of(0), millisPerLayer);
    DriverMessage.StepCommitted committed = driver.expectMessageClass(DriverMessage.StepCommitted.class, WAIT);
    assertEquals(List.of("rank-error"), committed.recoveries().stream().map(r -> r.cause()).toList());
    assertEquals(List.of(RankId.of(1)), committed.recoveries().get(0).ranks());
  }

  @Test void aLossRacingTheCommitWaitsForItAndThePlanStartsFromTheCommittedStep() {
    Layout layout = startJob();
    scheduler.tell(new SchedulerMessage.RunNextStep(1, driver.getRef()));
    runStep(layout, 1, Set.of(0, 1));
    // r1 fails right behind its StepDone: the scheduler sees it while the commit is being written
    scheduler.tell(new SchedulerMessage.RankFailed(NODE, RankId.of(1), "boom"));
    DriverMessage.StepCommitted first = driver.expectMessageClass(DriverMessage.StepCommitted.class, WAIT);
    assertEquals(1, first.step(), "the step every rank finished is committed, not lost");
    assertTrue(first.recoveries().isEmpty());
    RankMessage.Reconfigure change = ranks.get(0).expectMessageClass(RankMessage.Reconfigure.class, WAIT);
    assertEquals(1, change.committedStep(), "the plan starts from the step just committed: nothing is redone");
    assertEquals(List.of(RankId.of(0)), change.next().rankIds());
    scheduler.tell(new SchedulerMessage.Reconfigured(change.next().epoch(), RankId.of(0)));
    ranks.get(0).expectMessageClass(RankMessage.ChangeCommitted.class, WAIT);
    scheduler.tell(new SchedulerMessage.RunNextStep(2, driver.getRef()));
    runStep(change.next(), 2, Set.of(0));
    DriverMessage.StepCommitted second = driver.expectMessageClass(DriverMessage.StepCommitted.class, WAIT);
    assertEquals(2, second.step());
    assertEquals(List.of("rank-error"), second.recoveries().stream().map(r -> r.cause()).toList());
    driver.expectNoMessage(Duration.ofMillis(200)); // step 1 was answered once
  }

  @Test void aJoinerLostWhileItsJoinIsCarriedOutLeavesTheJobOnItsLayout() {
    Layout layout = startJob(4);
    NodeId joiner = NodeId.of("node-1");
    TestProbe<NodeMessage> joinerGuardian = kit.createTestProbe();
    TestProbe<RankMessage> joinerRank = kit.createTestProbe();
    SchedulerMessage.NodeAvailable beat = new SchedulerMessage.NodeAvailable(joiner, 1, ProcessHandle.current().pid(),
        "127.0.0.1:2", List.of(), joinerGuardian.getRef());
    scheduler.tell(beat);
    org.apache.pekko.actor.Cancellable beats = system.scheduler().scheduleAtFixedRate(Duration.ofMillis(100),
        Duration.ofMillis(100), () -> scheduler.tell(beat), system.executionContext());
    NodeMessage.SpawnRanks spawn = joinerGuardian.expectMessageClass(NodeMessage.SpawnRanks.class, WAIT);
    RankId newcomer = spawn.ranks().get(0);
    spawn.replyTo().tell(new SchedulerMessage.RanksSpawned(joiner, List.of(new RankRefs(newcomer, joinerRank.getRef(),
        kit.<RankMessage.DataMessage>createTestProbe().getRef()))));
    RankMessage.Reconfigure join = ranks.get(0).expectMessageClass(RankMessage.Reconfigure.class, WAIT);
    assertTrue(join.next().allRanks().stream().anyMatch(r -> r.rank().equals(newcomer)), join.next().describe());
    ranks.get(1).expectMessageClass(RankMessage.Reconfigure.class, WAIT);
    joinerRank.expectMessageClass(RankMessage.Reconfigure.class, WAIT);
    // the joiner's host is downed (frozen, say) before its rank took the layout: the change
    // waits for it no longer; the job goes back to the installed layout under a fresh epoch
    beats.cancel();
    scheduler.tell(new SchedulerMessage.MemberChanged("127.0.0.1:2", SchedulerMessage.MemberChange.DOWNED));
    RankMessage.Reconfigure back = ranks.get(0).expectMessageClass(RankMessage.Reconfigure.class, WAIT);
    assertEquals(join.next().epoch() + 1, back.next().epoch());
    assertEquals(layout.rankIds(), back.next().rankIds());
    assertEquals(layout.microBatchRanges(), back.next().microBatchRanges());
    assertTrue(back.transfers().isEmpty(), "nothing of the installed layout moves");
    assertEquals(back, ranks.get(1).expectMessageClass(RankMessage.Reconfigure.class, WAIT));
    for (int i = 0; i < 2; i++) {
      scheduler.tell(new SchedulerMessage.Reconfigured(back.next().epoch(), RankId.of(i)));
    }
    ranks.forEach(r -> r.expectMessageClass(RankMessage.ChangeCommitted.class, WAIT));
    scheduler.tell(new SchedulerMessage.RunNextStep(1, driver.getRef()));
    runStep(back.next(), 1, Set.of(0, 1));
    DriverMessage.StepCommitted committed = driver.expectMessageClass(DriverMessage.StepCommitted.class, WAIT);
    assertEquals(1, committed.step());
    assertEquals(List.of("node-downed"), committed.recoveries().stream().map(r -> r.cause()).toList());
    assertEquals(List.of(newcomer), committed.recoveries().get(0).ranks());
  }

  /** Submits dp2 × pp1 and plays the ranks' part of the start; returns the first layout. */
  private Layout startJob() {
    return startJob(2);
  }

  private Layout startJob(int microBatches) {
    TrainConfig config = new TrainConfig("tiny", 1337, 20, microBatches, 2, 3e-3f, 3e-4f, 2, 20,
        AdamWConfig.defaults(), 0, 2);
    scheduler.tell(new SchedulerMessage.StartJob(new JobSpec(config, 2, 1, ""), driver.getRef()));
    NodeMessage.SpawnRanks spawn = guardian.expectMessageClass(NodeMessage.SpawnRanks.class, WAIT);
    List<RankRefs> refs = List.of(refs(spawn.ranks().get(0), 0), refs(spawn.ranks().get(1), 1));
    spawn.replyTo().tell(new SchedulerMessage.RanksSpawned(NODE, refs));
    Layout layout = null;
    for (int i = 0; i < 2; i++) {
      layout = ranks.get(i).expectMessageClass(RankMessage.AdoptLayout.class, WAIT).layout();
      scheduler.tell(new SchedulerMessage.Reconfigured(layout.epoch(), RankId.of(i)));
    }
    driver.expectMessageClass(DriverMessage.JobStarted.class, WAIT);
    return layout;
  }

  private RankRefs refs(RankId id, int probe) {
    return new RankRefs(id, ranks.get(probe).getRef(), kit.<RankMessage.DataMessage>createTestProbe().getRef());
  }

  /** Plays step {@code step} for the ranks {@code live}: loss, norms, update, digests. */
  private void runStep(Layout layout, long step, Set<Integer> live) {
    runStep(layout, step, live, null);
  }

  /** As above; with {@code millisPerLayer[rank]}, each rank reports that forward+backward time per layer and micro-batch. */
  private void runStep(Layout layout, long step, Set<Integer> live, double[] millisPerLayer) {
    long epoch = layout.epoch();
    for (int i : live) {
      RankId id = RankId.of(i);
      assertEquals(new RankMessage.RunStep(epoch, step), ranks.get(i).expectMessageClass(RankMessage.RunStep.class,
          WAIT));
      var range = layout.microBatchesOf(layout.stageOf(id).replica());
      scheduler.tell(new SchedulerMessage.LossReport(epoch, step, range.from(), new double[range.size()]));
      List<BlockId> owned = layout.blocksOwnedBy(id);
      scheduler.tell(new SchedulerMessage.NormReport(epoch, step, id,
          owned.stream().map(b -> new BlockNorm(b.layer(), b.block(), 1.0)).toList()));
    }
    for (int i : live) {
      RankId id = RankId.of(i);
      ranks.get(i).expectMessageClass(RankMessage.ApplyUpdate.class, WAIT);
      scheduler.tell(new SchedulerMessage.StepDone(epoch, step, id, layout.blocksOwnedBy(id).stream()
          .map(b -> new BlockDigest(b.layer(), b.block(), 7L)).toList(),
          new SchedulerMessage.RankTraffic(0, 0, 0, 0), compute(layout, id, millisPerLayer)));
    }
  }

  private static SchedulerMessage.ComputeReport compute(Layout layout, RankId id, double[] millisPerLayer) {
    if (millisPerLayer == null) {
      return SchedulerMessage.ComputeReport.none();
    }
    var stage = layout.stageOf(id);
    int layers = stage.layerTo() - stage.layerFrom();
    int mbs = layout.microBatchesOf(stage.replica()).size();
    long[] nanos = new long[layers];
    java.util.Arrays.fill(nanos, Math.round(millisPerLayer[id.value()] * 1e6 * mbs / 2));
    long[] bytes = new long[layers];
    java.util.Arrays.fill(bytes, 1024);
    return new SchedulerMessage.ComputeReport(stage.layerFrom(), mbs, nanos, nanos.clone(), bytes, 0, 0, 0, 0, 0);
  }
}
