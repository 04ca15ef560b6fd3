package io.elaswave.planner.recovery;

import io.elaswave.planner.Layout;
import io.elaswave.planner.elastic.Transfer;
import java.util.List;

/** A policy's answer: the next layout, the transfers that fill it, and why (also in the layout). */
public record RecoveryPlan(Layout next, List<Transfer> transfers, String reason) {
  public RecoveryPlan {
    transfers = List.copyOf(transfers);
  }
}
