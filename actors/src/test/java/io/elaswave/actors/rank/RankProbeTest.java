package io.elaswave.actors.rank;

import io.elaswave.engine.optim.AdamWConfig;
import io.elaswave.engine.train.TrainConfig;
import io.elaswave.planner.RankId;
import io.elaswave.protocol.fault.Fault;
import io.elaswave.protocol.runtime.JobSpec;
import io.elaswave.protocol.runtime.RankMessage;
import io.elaswave.protocol.runtime.SchedulerMessage;
import java.time.Duration;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A live rank answers Probe whatever the epoch; one that carried out a hang never does. */
class RankProbeTest {
  private static ActorTestKit testKit;

  @BeforeAll
  static void start() {
    testKit = ActorTestKit.create(com.typesafe.config.ConfigFactory.parseString("""
        pekko.loglevel = WARNING
        pekko.actor.provider = local
        pekko.actor.serialize-messages = on
        """));
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private static ActorRef<RankMessage> rank(int id) {
    TrainConfig config = new TrainConfig("tiny", 1337, 3, 4, 2, 3e-3f, 3e-4f, 2, 20, AdamWConfig.defaults(), 0, 2);
    return testKit.spawn(Rank.create(new Rank.Settings(new JobSpec(config, 1, 1, ""), RankId.of(id), 4096)));
  }

  @Test
  void answersProbeOfAnyEpoch() {
    ActorRef<RankMessage> rank = rank(0);
    TestProbe<SchedulerMessage> scheduler = testKit.createTestProbe();
    rank.tell(new RankMessage.Probe(0, 1, scheduler.ref()));
    scheduler.expectMessage(new SchedulerMessage.ProbeAnswered(0, 1, RankId.of(0)));
    rank.tell(new RankMessage.Probe(9, 2, scheduler.ref()));
    scheduler.expectMessage(new SchedulerMessage.ProbeAnswered(9, 2, RankId.of(0)));
  }

  @Test
  void aHangArmedRankGoesSilentAtItsStep() {
    ActorRef<RankMessage> rank = rank(1);
    TestProbe<SchedulerMessage> scheduler = testKit.createTestProbe();
    rank.tell(new RankMessage.InjectFault(new Fault.RankHang(RankId.of(1), 2)));
    rank.tell(new RankMessage.RunStep(0, 1)); // an earlier step: still live
    rank.tell(new RankMessage.Probe(0, 1, scheduler.ref()));
    scheduler.expectMessage(new SchedulerMessage.ProbeAnswered(0, 1, RankId.of(1)));
    rank.tell(new RankMessage.RunStep(0, 2));
    rank.tell(new RankMessage.Probe(0, 2, scheduler.ref()));
    scheduler.expectNoMessage(Duration.ofMillis(300));
  }

  @Test
  void aFaultForAnotherRankIsNotArmed() {
    ActorRef<RankMessage> rank = rank(2);
    TestProbe<SchedulerMessage> scheduler = testKit.createTestProbe();
    rank.tell(new RankMessage.InjectFault(new Fault.RankHang(RankId.of(5), 1)));
    rank.tell(new RankMessage.RunStep(0, 1));
    rank.tell(new RankMessage.Probe(0, 1, scheduler.ref()));
    scheduler.expectMessage(new SchedulerMessage.ProbeAnswered(0, 1, RankId.of(2)));
  }
}
