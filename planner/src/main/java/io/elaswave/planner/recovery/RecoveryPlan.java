package io.elaswave.planner.recovery;

import io.elaswave.planner.Layout;
import io.elaswave.planner.elastic.Transfer;
import java.util.List;

/**
 * A policy's answer: the next layout, the transfers that fill it, why (also in the layout), and
 * how the job gets there: {@link Resume#LIVE} moves the live ranks in place; {@link
 * Resume#FROM_CHECKPOINT} stops the job and starts it again in the next layout's shape from the
 * last durable checkpoint (the restart baseline), with no transfers.
 */
public record RecoveryPlan(Layout next, List<Transfer> transfers, String reason, Resume resume) {
  /** How the job reaches the next layout. */
  public enum Resume { LIVE, FROM_CHECKPOINT }

  public RecoveryPlan {
    transfers = List.copyOf(transfers);
    if (resume == Resume.FROM_CHECKPOINT && !transfers.isEmpty()) {
      throw new IllegalArgumentException("a restart from a checkpoint moves no live state");
    }
  }

  /**
   * The installed layout again under a fresh epoch, nothing moved: the answer when a change under
   * way is abandoned and nothing of the installed layout was lost (e.g. a joiner lost mid-join).
   */
  public static RecoveryPlan stay(Layout installed, long epoch, String why) {
    return new RecoveryPlan(installed.withEpoch(epoch), List.of(), why + ": " + installed.name() + " again");
  }

  /** A plan carried out live, by the ranks in place. */
  public RecoveryPlan(Layout next, List<Transfer> transfers, String reason) {
    this(next, transfers, reason, Resume.LIVE);
  }
}
