package io.elaswave.persistence;

import io.elaswave.planner.Layout;
import io.elaswave.protocol.runtime.JobSpec;
import java.util.List;
import java.util.Objects;

/**
 * What happened to a job, in the order it happened. Events are facts (past tense) that the
 * ledger has already validated, so applying one never fails; they are stored forever, so a field
 * is added only with a default that old events can take.
 */
public sealed interface LedgerEvent extends LedgerSerializable
    permits LedgerEvent.JobStarted, LedgerEvent.PlanAdopted, LedgerEvent.PlanInstalled, LedgerEvent.JobResumed,
    LedgerEvent.StepCommitted, LedgerEvent.JobEnded {

  /** A job began; everything of an earlier, ended job is forgotten. */
  record JobStarted(JobSpec spec) implements LedgerEvent {
    public JobStarted {
      Objects.requireNonNull(spec, "spec");
    }
  }

  /** {@code layout} became the plan; its epoch is the job's current epoch from now on. */
  record PlanAdopted(Layout layout, String reason) implements LedgerEvent {
    public PlanAdopted {
      Objects.requireNonNull(layout, "layout");
      reason = reason == null ? "" : reason;
    }
  }

  /**
   * Every rank installed the plan of {@code epoch}: a scheduler that takes the job over re-plans
   * from it, not from a newer plan some ranks may never have taken.
   */
  record PlanInstalled(long epoch) implements LedgerEvent {}

  /** The job continues from a checkpoint of step {@code step}: the next step to commit is step + 1. */
  record JobResumed(long step) implements LedgerEvent {}

  /**
   * Step {@code step} was committed under epoch {@code epoch}: its parameter digest, its loss, and
   * the digest of every block, in (layer, block) order.
   */
  record StepCommitted(long step, long epoch, long digest, float loss, List<BlockDigestEntry> blockDigests)
      implements LedgerEvent {
    public StepCommitted {
      blockDigests = blockDigests == null ? List.of() : List.copyOf(blockDigests);
    }
  }

  /** The job finished or was stopped; the ledger accepts a new job after this. */
  record JobEnded() implements LedgerEvent {}
}
