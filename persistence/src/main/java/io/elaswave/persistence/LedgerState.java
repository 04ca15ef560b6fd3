package io.elaswave.persistence;

import io.elaswave.persistence.LedgerEvent.JobEnded;
import io.elaswave.persistence.LedgerEvent.JobResumed;
import io.elaswave.persistence.LedgerEvent.JobStarted;
import io.elaswave.persistence.LedgerEvent.PlanAdopted;
import io.elaswave.persistence.LedgerEvent.PlanInstalled;
import io.elaswave.persistence.LedgerEvent.StepCommitted;
import io.elaswave.planner.Layout;
import io.elaswave.protocol.runtime.JobSpec;
import java.util.List;

/**
 * Where a job stands: its spec ({@code null} before the first job), the plan in force
 * ({@code null} before the first adopted plan), the last plan every rank installed ({@code null}
 * before one was; a state stored before this field existed reads it as null too), the last
 * committed step (0 before any) with its
 * digest, and the block digests of that step only, which is what the runtime checks moved state
 * against. Immutable: the {@code apply} methods return a new state and are the only way one
 * changes, during commands and replay alike.
 *
 * <p>Also the snapshot (stored with Jackson) and the reply to {@link JobLedger.GetState}.
 */
public record LedgerState(JobSpec spec, Layout layout, Layout installed, long committedStep, long lastDigest,
    List<BlockDigestEntry> committedBlockDigests, boolean ended) implements LedgerSerializable {

  public static final LedgerState EMPTY = new LedgerState(null, null, null, 0, 0, List.of(), false);

  public LedgerState {
    committedBlockDigests = committedBlockDigests == null ? List.of() : List.copyOf(committedBlockDigests);
  }

  /** A job has started and has not ended. */
  public boolean hasActiveJob() {
    return spec != null && !ended;
  }

  /** The epoch of the plan in force, 0 before any plan was adopted. */
  public long currentEpoch() {
    return layout == null ? 0 : layout.epoch();
  }

  /** The plan a take-over re-plans from: the last one installed everywhere, else the newest. */
  public Layout installedOrCurrent() {
    return installed != null ? installed : layout;
  }

  public LedgerState apply(JobStarted e) {
    return new LedgerState(e.spec(), null, null, 0, 0, List.of(), false);
  }

  public LedgerState apply(PlanAdopted e) {
    return new LedgerState(spec, e.layout(), installed, committedStep, lastDigest, committedBlockDigests, ended);
  }

  public LedgerState apply(PlanInstalled e) {
    return new LedgerState(spec, layout, layout, committedStep, lastDigest, committedBlockDigests, ended);
  }

  public LedgerState apply(JobResumed e) {
    return new LedgerState(spec, layout, installed, e.step(), 0, List.of(), ended);
  }

  public LedgerState apply(StepCommitted e) {
    return new LedgerState(spec, layout, installed, e.step(), e.digest(), e.blockDigests(), ended);
  }

  public LedgerState apply(JobEnded e) {
    return new LedgerState(spec, layout, installed, committedStep, lastDigest, committedBlockDigests, true);
  }
}
