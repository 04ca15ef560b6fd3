package io.elaswave.actors.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.elaswave.actors.node.NodeSystem;
import io.elaswave.engine.optim.AdamWConfig;
import io.elaswave.engine.train.TrainConfig;
import io.elaswave.planner.BlockId;
import io.elaswave.planner.Layout;
import io.elaswave.planner.NodeId;
import io.elaswave.planner.RankId;
import io.elaswave.planner.recovery.SpeedWatch;
import io.elaswave.protocol.runtime.BlockDigest;
import io.elaswave.protocol.runtime.BlockNorm;
import io.elaswave.protocol.runtime.ClockInfo;
import io.elaswave.protocol.runtime.DriverMessage;
import io.elaswave.protocol.runtime.JobSpec;
import io.elaswave.protocol.runtime.NodeMessage;
import io.elaswave.protocol.runtime.RankMessage;
import io.elaswave.protocol.runtime.RankRefs;
import io.elaswave.protocol.runtime.SchedulerMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The frequency axis in the scheduler against scripted nodes and ranks: a pp2 pipeline whose
 * second stage waits for the first gets its node's clock lowered in energy mode once the stages
 * are measured, the plan reaches the driver with the next commit, every commit carries its
 * modelled energy, reports at the lowered clock do not pass for a slow rank, and {@code off}
 * puts the clock back.
 */
class ClockSteeringTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  /** Per layer of tiny (embedding, block, block, head), ms per micro-batch at the nominal clock: stage 0 is the bottleneck. */
  private static final double[] COSTS = {0.1, 4.0, 2.0, 0.1};

  private ActorTestKit kit;
  private final Map<NodeId, TestProbe<NodeMessage>> guardians = new HashMap<>();
  private final Map<RankId, TestProbe<RankMessage>> ranks = new HashMap<>();
  private final Map<NodeId, Double> clocks = new HashMap<>();
  private TestProbe<DriverMessage> driver;
  private ActorRef<SchedulerMessage> scheduler;
  private final List<org.apache.pekko.actor.Cancellable> beats = new ArrayList<>();

  @BeforeEach
  void start() {
    ActorSystem<?> system = NodeSystem.start(new NodeSystem.Settings("driver", "127.0.0.1", 0, List.of(), 0,
        Set.of(NodeSystem.DRIVER_ROLE)), ConfigFactory.parseString("""
            pekko.loglevel = WARNING
            pekko.coordinated-shutdown.exit-jvm = off
            pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off
            elaswave.frequency.verify = off
            """));
    kit = ActorTestKit.create(system);
    driver = kit.createTestProbe();
    scheduler = kit.spawn(Scheduler.create(), "scheduler");
    for (String name : List.of("node-0", "node-1")) {
      NodeId node = NodeId.of(name);
      TestProbe<NodeMessage> g = kit.createTestProbe();
      guardians.put(node, g);
      var beat = new SchedulerMessage.NodeAvailable(node, 1, ProcessHandle.current().pid(), "127.0.0.1:" + name.length(),
          List.of(), g.getRef(), new ClockInfo("test", 0.3, 1.5, 1));
      scheduler.tell(beat);
      beats.add(system.scheduler().scheduleAtFixedRate(Duration.ofMillis(100), Duration.ofMillis(100),
          () -> scheduler.tell(beat), system.executionContext()));
    }
  }

  @AfterEach
  void stop() {
    beats.forEach(org.apache.pekko.actor.Cancellable::cancel);
    kit.shutdownTestKit();
  }

  @Test void energyModeLowersTheWaitingStagesClockAndOffPutsItBack() {
    Layout layout = startJob();
    scheduler.tell(new SchedulerMessage.SetFrequency("energy"));
    NodeId waiting = layout.nodeOf(layout.stagesOfReplica(0).get(1).rank());
    NodeId bottleneck = layout.nodeOf(layout.stagesOfReplica(0).get(0).rank());
    long planned = Math.max(SpeedWatch.WARM_STEPS, ClockSteering.SETTLE);
    for (long s = 1; s <= planned; s++) {
      DriverMessage.StepCommitted c = step(layout, s);
      assertTrue(c.energyJoules() > 0, "every commit carries its modelled energy");
      assertTrue(c.clocks().isEmpty(), "no plan before the stages are measured, step " + s);
    }
    NodeMessage.SetClock set = guardians.get(waiting).expectMessageClass(NodeMessage.SetClock.class, WAIT);
    assertTrue(set.clock() < 0.9 && set.clock() >= 0.3, "the waiting stage runs slower: " + set.clock());
    guardians.get(bottleneck).expectNoMessage(Duration.ofMillis(200)); // the bottleneck keeps its clock
    clocks.put(waiting, set.clock());
    set.replyTo().tell(new SchedulerMessage.ClockSet(waiting, set.epoch(), set.clock(), ""));
    DriverMessage.StepCommitted next = step(layout, planned + 1);
    assertEquals(1, next.clocks().size());
    DriverMessage.ClocksPlanned plan = next.clocks().get(0);
    assertEquals("energy", plan.mode());
    assertTrue(plan.reason().startsWith("energy: clocks " + waiting.name()), plan.reason());
    assertTrue(plan.plannedWatts() < plan.nominalWatts(), plan.toString());
    assertTrue(plan.plannedMillis() <= plan.nominalMillis() * 1.02 + 1e-9, plan.toString());
    // the waiting stage now reports at its lowered clock (slower kernels): times are judged at nominal,
    // so no speed re-plan follows and no other clock is asked for
    for (long s = planned + 2; s <= planned + 2 + SpeedWatch.COOLDOWN + SpeedWatch.STREAK; s++) {
      DriverMessage.StepCommitted c = step(layout, s);
      assertTrue(c.recoveries().isEmpty(), "no re-plan from a clock the scheduler set: " + c.recoveries());
      assertEquals(layout.name(), c.layout());
    }
    guardians.get(waiting).expectNoMessage(Duration.ofMillis(200));
    scheduler.tell(new SchedulerMessage.SetFrequency("off"));
    NodeMessage.SetClock back = guardians.get(waiting).expectMessageClass(NodeMessage.SetClock.class, WAIT);
    assertEquals(1.0, back.clock());
  }

  @Test void aNewLayoutRunsItsFirstStepAtNominalClocks() {
    Layout layout = startJob();
    scheduler.tell(new SchedulerMessage.SetFrequency("energy"));
    RankId waitingRank = layout.stagesOfReplica(0).get(1).rank();
    RankId bottleneckRank = layout.stagesOfReplica(0).get(0).rank();
    NodeId waiting = layout.nodeOf(waitingRank);
    long planned = Math.max(SpeedWatch.WARM_STEPS, ClockSteering.SETTLE);
    for (long s = 1; s <= planned; s++) {
      step(layout, s);
    }
    NodeMessage.SetClock set = guardians.get(waiting).expectMessageClass(NodeMessage.SetClock.class, WAIT);
    clocks.put(waiting, set.clock());
    // the bottleneck's rank fails between steps: the survivor takes every layer under a new epoch
    scheduler.tell(new SchedulerMessage.RankFailed(layout.nodeOf(bottleneckRank), bottleneckRank, "boom"));
    RankMessage.Reconfigure change = ranks.get(waitingRank).expectMessageClass(RankMessage.Reconfigure.class, WAIT);
    scheduler.tell(new SchedulerMessage.Reconfigured(change.next().epoch(), waitingRank));
    ranks.get(waitingRank).expectMessageClass(RankMessage.ChangeCommitted.class, WAIT);
    NodeMessage.SetClock back = guardians.get(waiting).expectMessageClass(NodeMessage.SetClock.class, WAIT);
    assertEquals(1.0, back.clock(), "nominal as the new layout is installed, before its first step");
    assertEquals(change.next().epoch(), back.epoch());
    clocks.put(waiting, 1.0);
    DriverMessage.StepCommitted c = step(change.next(), planned + 1);
    assertTrue(c.clocks().stream().anyMatch(p -> p.reason().startsWith("new layout ")), c.clocks().toString());
  }

  /** Submits dp1 × pp2 of tiny over the two nodes and plays the start; returns the layout. */
  private Layout startJob() {
    TrainConfig config = new TrainConfig("tiny", 1337, 40, 8, 2, 3e-3f, 3e-4f, 2, 40, AdamWConfig.defaults(), 0, 2);
    scheduler.tell(new SchedulerMessage.StartJob(new JobSpec(config, 1, 2, ""), driver.getRef()));
    for (var e : guardians.entrySet()) {
      NodeMessage.SpawnRanks spawn = e.getValue().expectMessageClass(NodeMessage.SpawnRanks.class, WAIT);
      List<RankRefs> refs = new ArrayList<>();
      for (RankId id : spawn.ranks()) {
        TestProbe<RankMessage> probe = kit.createTestProbe();
        ranks.put(id, probe);
        refs.add(new RankRefs(id, probe.getRef(), kit.<RankMessage.DataMessage>createTestProbe().getRef()));
      }
      spawn.replyTo().tell(new SchedulerMessage.RanksSpawned(e.getKey(), refs));
    }
    Layout layout = null;
    for (var e : ranks.entrySet()) {
      layout = e.getValue().expectMessageClass(RankMessage.AdoptLayout.class, WAIT).layout();
      scheduler.tell(new SchedulerMessage.Reconfigured(layout.epoch(), e.getKey()));
    }
    driver.expectMessageClass(DriverMessage.JobStarted.class, WAIT);
    assertEquals(List.of(0, 2), layout.stagesOfReplica(0).stream().map(s -> s.layerFrom()).toList(),
        "tiny's four layers split 2 | 2: " + layout.describe());
    return layout;
  }

  /** Plays step {@code step}: each rank reports its layers' COSTS slowed by its node's clock. */
  private DriverMessage.StepCommitted step(Layout layout, long step) {
    scheduler.tell(new SchedulerMessage.RunNextStep(step, driver.getRef()));
    long epoch = layout.epoch();
    for (RankId id : layout.rankIds()) {
      assertEquals(new RankMessage.RunStep(epoch, step), ranks.get(id).expectMessageClass(RankMessage.RunStep.class,
          WAIT));
      var range = layout.microBatchesOf(0);
      if (layout.nextRank(id).isEmpty()) { // the last stage has the losses
        scheduler.tell(new SchedulerMessage.LossReport(epoch, step, range.from(), new double[range.size()]));
      }
      List<BlockId> owned = layout.blocksOwnedBy(id);
      scheduler.tell(new SchedulerMessage.NormReport(epoch, step, id,
          owned.stream().map(b -> new BlockNorm(b.layer(), b.block(), 1.0)).toList()));
    }
    for (RankId id : layout.rankIds()) {
      ranks.get(id).expectMessageClass(RankMessage.ApplyUpdate.class, WAIT);
      scheduler.tell(new SchedulerMessage.StepDone(epoch, step, id, layout.blocksOwnedBy(id).stream()
          .map(b -> new BlockDigest(b.layer(), b.block(), 7L)).toList(),
          new SchedulerMessage.RankTraffic(0, 0, 0, 0), compute(layout, id)));
    }
    return driver.expectMessageClass(DriverMessage.StepCommitted.class, WAIT);
  }

  private SchedulerMessage.ComputeReport compute(Layout layout, RankId id) {
    var stage = layout.stageOf(id);
    double clock = clocks.getOrDefault(layout.nodeOf(id), 1.0);
    int mbs = layout.microBatchesOf(stage.replica()).size();
    int layers = stage.layerTo() - stage.layerFrom();
    long[] nanos = new long[layers];
    for (int l = 0; l < layers; l++) {
      nanos[l] = Math.round(COSTS[stage.layerFrom() + l] / clock * 1e6 * mbs / 2); // forward and backward halves
    }
    long[] bytes = new long[layers];
    java.util.Arrays.fill(bytes, 1024);
    return new SchedulerMessage.ComputeReport(stage.layerFrom(), mbs, nanos, nanos.clone(), bytes, 0, 0, 0, 0, 0,
        clock);
  }
}
