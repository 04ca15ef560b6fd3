package io.elaswave.multinode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.elaswave.persistence.JobLedger;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The job ledger as the journal stores it: each event's sequence number, the writer (one id per
 * incarnation of the ledger, so per scheduler) and its type. What a fail-over scenario proves
 * with it: once a new scheduler wrote, the old one never wrote again.
 */
record LedgerAudit(List<Entry> entries) {
  /** One stored event. */
  record Entry(long sequence, String writer, String type) {}

  static LedgerAudit read(String jdbcUrl) throws SQLException {
    List<Entry> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(jdbcUrl, "sa", "");
        PreparedStatement q = c.prepareStatement("SELECT \"sequence_number\", \"writer\", \"event_ser_manifest\""
            + " FROM \"event_journal\" WHERE \"persistence_id\" = ? ORDER BY \"sequence_number\"")) {
      q.setString(1, JobLedger.DEFAULT_PERSISTENCE_ID.id());
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          String manifest = rs.getString(3);
          out.add(new Entry(rs.getLong(1), rs.getString(2), manifest.substring(manifest.lastIndexOf('$') + 1)));
        }
      }
    }
    return new LedgerAudit(out);
  }

  /** The writers in the order they took over; fails if one wrote again after its successor. */
  List<String> assertWritersNeverReturn() {
    List<String> order = new ArrayList<>();
    Set<String> done = new HashSet<>();
    for (Entry e : entries) {
      if (order.isEmpty() || !order.get(order.size() - 1).equals(e.writer())) {
        assertFalse(done.contains(e.writer()), "writer " + e.writer() + " wrote again after its successor: "
            + entries);
        if (!order.isEmpty()) {
          done.add(order.get(order.size() - 1));
        }
        order.add(e.writer());
      }
    }
    return order;
  }

  /** Every step 1..steps committed exactly once. */
  void assertEachStepCommittedOnce(long steps) {
    assertEquals(steps, entries.stream().filter(e -> e.type().equals("StepCommitted")).count(), entries.toString());
  }
}
