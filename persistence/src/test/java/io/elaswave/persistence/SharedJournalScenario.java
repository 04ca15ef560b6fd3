package io.elaswave.persistence;

import static io.elaswave.persistence.Fixtures.blockDigests;
import static io.elaswave.persistence.Fixtures.digest;
import static io.elaswave.persistence.Fixtures.loss;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.elaswave.persistence.journal.JournalConfigs;
import io.elaswave.persistence.journal.JournalDatabase;
import io.elaswave.planner.Layout;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.typed.PersistenceId;

/**
 * The singleton moving to another node, on a real shared journal: one ActorSystem writes a job's
 * history and shuts down, the next one recovers it under the same persistence id and carries on,
 * and a third sees what the second added. Shared by the H2 and PostgreSQL tests.
 */
final class SharedJournalScenario {
  /** Generous for a first connection and pool start-up on a busy 2-core box; replies come much sooner. */
  private static final Duration REPLY = Duration.ofSeconds(15);
  private static final Layout PLAN = Fixtures.layout();

  private SharedJournalScenario() {}

  static void run(JournalDatabase db, String persistenceId) throws SQLException {
    Config config = JournalConfigs.jdbc(db).withFallback(ConfigFactory.parseString("pekko.loglevel = WARNING"));
    PersistenceId pid = PersistenceId.ofUniqueId(persistenceId);

    onNode("node-a", config, pid, (ledger, acks, node) -> {
      ledger.tell(new JobLedger.StartJob(Fixtures.spec(), acks.ref()));
      acks.expectMessage(REPLY, Ack.accepted());
      ledger.tell(new JobLedger.AdoptPlan(PLAN, "initial", acks.ref()));
      acks.expectMessage(REPLY, Ack.accepted());
      for (long s = 1; s <= 3; s++) {
        commit(ledger, acks, s, 1);
      }
      assertEquals(stateAfter(3, PLAN), state(ledger, node));
    });

    onNode("node-b", config, pid, (ledger, acks, node) -> {
      assertEquals(stateAfter(3, PLAN), state(ledger, node), "the second node recovers what the first wrote");
      commit(ledger, acks, 4, 1);
      ledger.tell(new JobLedger.AdoptPlan(PLAN.withEpoch(2), "after a failure", acks.ref()));
      acks.expectMessage(REPLY, Ack.accepted());
      commit(ledger, acks, 5, 2);
    });

    onNode("node-c", config, pid, (ledger, acks, node) ->
        assertEquals(stateAfter(5, PLAN.withEpoch(2)), state(ledger, node), "and the third what the second added"));

    assertEquals(Set.of(33), serializerIds(db, persistenceId, "SELECT event_ser_id FROM event_journal WHERE persistence_id = ?"),
        "events are stored by jackson-cbor");
    assertEquals(Set.of(33), serializerIds(db, persistenceId, "SELECT snapshot_ser_id FROM snapshot WHERE persistence_id = ?"),
        "snapshots are stored by jackson-cbor");
  }

  private interface OnNode {
    void run(ActorRef<JobLedger.Command> ledger, TestProbe<Ack> acks, ActorTestKit node);
  }

  /** One ActorSystem, standing for one node hosting the ledger, from start to shutdown. */
  private static void onNode(String name, Config config, PersistenceId pid, OnNode body) {
    ActorTestKit node = ActorTestKit.create(name, config);
    try {
      body.run(node.spawn(JobLedger.create(pid, 2)), node.createTestProbe(), node);
    } finally {
      node.shutdownTestKit();
    }
  }

  private static void commit(ActorRef<JobLedger.Command> ledger, TestProbe<Ack> acks, long step, long epoch) {
    ledger.tell(new JobLedger.CommitStep(step, epoch, digest(step), loss(step), blockDigests(PLAN, step), acks.ref()));
    acks.expectMessage(REPLY, Ack.accepted());
  }

  private static LedgerState state(ActorRef<JobLedger.Command> ledger, ActorTestKit node) {
    TestProbe<LedgerState> probe = node.createTestProbe();
    ledger.tell(new JobLedger.GetState(probe.ref()));
    return probe.receiveMessage(REPLY);
  }

  private static LedgerState stateAfter(long step, Layout layout) {
    return new LedgerState(Fixtures.spec(), layout, null, step, digest(step), blockDigests(PLAN, step), false);
  }

  private static Set<Integer> serializerIds(JournalDatabase db, String persistenceId, String sql) throws SQLException {
    Set<Integer> ids = new TreeSet<>();
    try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, persistenceId);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getInt(1));
        }
      }
    }
    return ids;
  }
}
