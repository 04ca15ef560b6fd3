package io.elaswave.persistence;

import io.elaswave.persistence.LedgerEvent.JobEnded;
import io.elaswave.persistence.LedgerEvent.JobResumed;
import io.elaswave.persistence.LedgerEvent.JobStarted;
import io.elaswave.persistence.LedgerEvent.PlanAdopted;
import io.elaswave.persistence.LedgerEvent.PlanInstalled;
import io.elaswave.persistence.LedgerEvent.StepCommitted;
import io.elaswave.planner.Layout;
import io.elaswave.protocol.KryoMessage;
import io.elaswave.protocol.runtime.JobSpec;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;

/**
 * The event-sourced ledger of one job: the scheduler asks it to record a job's start, each
 * adopted plan and each committed step, and it answers only once the event is in the journal, so
 * whatever it acknowledged survives the scheduler's node. A command that would break the job's
 * history (a stale plan, a step out of order or from an old epoch, a second job) is rejected with
 * the reason and stores nothing; a command that repeats what is already recorded is acknowledged
 * without storing anything again, so callers can retry after a lost reply.
 *
 * <p>Commands that arrive during recovery wait (Pekko stashes them) and see the recovered state.
 * A journal failure restarts the ledger with backoff, which replays it; the command whose write
 * failed gets no reply, so callers ask with a timeout and retry.
 */
public final class JobLedger
    extends EventSourcedBehaviorWithEnforcedReplies<JobLedger.Command, LedgerEvent, LedgerState> {

  /** The one ledger of a cluster's job: the scheduler singleton recovers it on whichever node it starts. */
  public static final PersistenceId DEFAULT_PERSISTENCE_ID = PersistenceId.ofUniqueId("elaswave-job-ledger");
  /** Snapshot every this many events (one per committed step), so a recovery replays at most this many. */
  public static final int DEFAULT_SNAPSHOT_EVERY = 100;

  /** What the ledger is asked; every command names where its answer goes, last. */
  public sealed interface Command extends KryoMessage
      permits StartJob, AdoptPlan, InstallPlan, ResumeAt, CommitStep, EndJob, GetState {}

  /** Start {@code spec}; a repeat of the active job's spec is acknowledged, another spec is rejected. */
  public record StartJob(JobSpec spec, ActorRef<Ack> replyTo) implements Command {
    public StartJob {
      Objects.requireNonNull(spec, "spec");
    }
  }

  /** Make {@code layout} the plan; its epoch must be newer than the current one. */
  public record AdoptPlan(Layout layout, String reason, ActorRef<Ack> replyTo) implements Command {
    public AdoptPlan {
      Objects.requireNonNull(layout, "layout");
      reason = reason == null ? "" : reason;
    }
  }

  /** Every rank installed the current plan, of {@code epoch}; a repeat is acknowledged. */
  public record InstallPlan(long epoch, ActorRef<Ack> replyTo) implements Command {}

  /**
   * The job (started with a {@code resumeFrom} checkpoint) continues after step {@code step}, the
   * checkpoint's; allowed only before the job's first commit.
   */
  public record ResumeAt(long step, ActorRef<Ack> replyTo) implements Command {}

  /**
   * Commit step {@code step}, run under {@code epoch}: the next step after the last committed one,
   * under the current plan. {@code blockDigests} are the step's per-block parameter digests.
   */
  public record CommitStep(long step, long epoch, long digest, float loss, List<BlockDigestEntry> blockDigests,
      ActorRef<Ack> replyTo) implements Command {
    public CommitStep {
      // a JDK immutable list: what the Kryo class table registers, whatever the caller passed
      blockDigests = blockDigests == null ? List.of() : List.copyOf(blockDigests);
    }
  }

  /** The job is over; the ledger then accepts a new StartJob. */
  public record EndJob(ActorRef<Ack> replyTo) implements Command {}

  /** Reply with the current state (after recovery, if the ledger has just started). */
  public record GetState(ActorRef<LedgerState> replyTo) implements Command {}

  private final int snapshotEvery;

  private JobLedger(PersistenceId persistenceId, int snapshotEvery) {
    // a failed journal write or replay restarts (and so replays) the ledger instead of stopping it:
    // a database that blinks must not take the scheduler's history down with it
    super(persistenceId, SupervisorStrategy.restartWithBackoff(Duration.ofMillis(100), Duration.ofSeconds(2), 0.2));
    this.snapshotEvery = snapshotEvery;
  }

  /** The cluster's ledger: {@link #DEFAULT_PERSISTENCE_ID}, a snapshot every {@link #DEFAULT_SNAPSHOT_EVERY} events. */
  public static Behavior<Command> create() {
    return create(DEFAULT_PERSISTENCE_ID, DEFAULT_SNAPSHOT_EVERY);
  }

  /** A ledger under {@code persistenceId} that snapshots every {@code snapshotEvery} events (keeping two). */
  public static Behavior<Command> create(PersistenceId persistenceId, int snapshotEvery) {
    Objects.requireNonNull(persistenceId, "persistenceId");
    if (snapshotEvery < 1) {
      throw new IllegalArgumentException("snapshotEvery must be >= 1, got " + snapshotEvery);
    }
    return new JobLedger(persistenceId, snapshotEvery);
  }

  @Override public LedgerState emptyState() {
    return LedgerState.EMPTY;
  }

  @Override public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(snapshotEvery, 2);
  }

  @Override public CommandHandlerWithReply<Command, LedgerEvent, LedgerState> commandHandler() {
    return newCommandHandlerWithReplyBuilder().forAnyState()
        .onCommand(StartJob.class, this::onStartJob)
        .onCommand(AdoptPlan.class, this::onAdoptPlan)
        .onCommand(InstallPlan.class, this::onInstallPlan)
        .onCommand(ResumeAt.class, this::onResumeAt)
        .onCommand(CommitStep.class, this::onCommitStep)
        .onCommand(EndJob.class, this::onEndJob)
        .onCommand(GetState.class, (state, c) -> Effect().reply(c.replyTo(), state))
        .build();
  }

  @Override public EventHandler<LedgerState, LedgerEvent> eventHandler() {
    return newEventHandlerBuilder().forAnyState()
        .onEvent(JobStarted.class, LedgerState::apply)
        .onEvent(PlanAdopted.class, LedgerState::apply)
        .onEvent(PlanInstalled.class, LedgerState::apply)
        .onEvent(JobResumed.class, LedgerState::apply)
        .onEvent(StepCommitted.class, LedgerState::apply)
        .onEvent(JobEnded.class, LedgerState::apply)
        .build();
  }

  private ReplyEffect<LedgerEvent, LedgerState> onStartJob(LedgerState state, StartJob c) {
    if (!state.hasActiveJob()) {
      return persist(new JobStarted(c.spec()), c.replyTo());
    }
    if (state.spec().equals(c.spec())) {
      return accept(c.replyTo());
    }
    return reject(c.replyTo(), "another job is active (" + describe(state.spec()) + "); end it before starting "
        + describe(c.spec()));
  }

  private ReplyEffect<LedgerEvent, LedgerState> onAdoptPlan(LedgerState state, AdoptPlan c) {
    Layout layout = c.layout();
    if (!state.hasActiveJob()) {
      return reject(c.replyTo(), "cannot adopt plan " + layout.name() + ": " + noJob(state));
    }
    if (layout.equals(state.layout())) {
      return accept(c.replyTo());
    }
    if (layout.epoch() <= state.currentEpoch()) {
      return reject(c.replyTo(), "stale plan " + layout.name() + ": epoch " + layout.epoch()
          + " is not newer than the current epoch " + state.currentEpoch());
    }
    return persist(new PlanAdopted(layout, c.reason()), c.replyTo());
  }

  private ReplyEffect<LedgerEvent, LedgerState> onInstallPlan(LedgerState state, InstallPlan c) {
    if (!state.hasActiveJob() || state.layout() == null) {
      return reject(c.replyTo(), "cannot install the plan of epoch " + c.epoch() + ": "
          + (state.hasActiveJob() ? "no plan has been adopted" : noJob(state)));
    }
    if (c.epoch() != state.currentEpoch()) {
      return reject(c.replyTo(), "cannot install the plan of epoch " + c.epoch() + ": the current plan is of epoch "
          + state.currentEpoch());
    }
    if (state.installed() != null && state.installed().epoch() == c.epoch()) {
      return accept(c.replyTo());
    }
    return persist(new PlanInstalled(c.epoch()), c.replyTo());
  }

  private ReplyEffect<LedgerEvent, LedgerState> onResumeAt(LedgerState state, ResumeAt c) {
    if (!state.hasActiveJob()) {
      return reject(c.replyTo(), "cannot resume at step " + c.step() + ": " + noJob(state));
    }
    if (c.step() >= 1 && c.step() == state.committedStep()) {
      return accept(c.replyTo());
    }
    if (state.spec().resumeFrom().isEmpty()) {
      return reject(c.replyTo(), "cannot resume at step " + c.step() + ": the job was started without a checkpoint");
    }
    if (state.committedStep() != 0) {
      return reject(c.replyTo(), "cannot resume at step " + c.step() + ": step " + state.committedStep()
          + " is already recorded, and a job resumes from its checkpoint only before its first commit");
    }
    if (c.step() < 1) {
      return reject(c.replyTo(), "cannot resume at step " + c.step() + ": a checkpoint's step is >= 1");
    }
    return persist(new JobResumed(c.step()), c.replyTo());
  }

  private ReplyEffect<LedgerEvent, LedgerState> onCommitStep(LedgerState state, CommitStep c) {
    String what = "cannot commit step " + c.step() + ": ";
    if (!state.hasActiveJob()) {
      return reject(c.replyTo(), what + noJob(state));
    }
    if (state.layout() == null) {
      return reject(c.replyTo(), what + "no plan has been adopted");
    }
    if (c.step() >= 1 && c.step() == state.committedStep()) {
      // a retry after a lost reply: same bits, whatever epoch it ran under (DESIGN.md §1)
      return c.digest() == state.lastDigest() ? accept(c.replyTo())
          : reject(c.replyTo(), what + "it is already committed with digest " + Long.toHexString(state.lastDigest())
              + ", and this commit has digest " + Long.toHexString(c.digest()));
    }
    if (c.epoch() != state.currentEpoch()) {
      return reject(c.replyTo(), what + (c.epoch() < state.currentEpoch()
          ? "it ran under epoch " + c.epoch() + ", but epoch " + state.currentEpoch() + " is current (a stale result)"
          : "it claims epoch " + c.epoch() + ", newer than the current epoch " + state.currentEpoch()));
    }
    if (c.step() != state.committedStep() + 1) {
      return reject(c.replyTo(), what + "the last committed step is " + state.committedStep()
          + ", so the next must be step " + (state.committedStep() + 1));
    }
    String badBlock = checkBlocks(state.layout(), c.blockDigests());
    if (badBlock != null) {
      return reject(c.replyTo(), what + badBlock);
    }
    List<BlockDigestEntry> canonical = c.blockDigests().stream().sorted(BlockDigestEntry.CANONICAL_ORDER).toList();
    return persist(new StepCommitted(c.step(), c.epoch(), c.digest(), c.loss(), canonical), c.replyTo());
  }

  private ReplyEffect<LedgerEvent, LedgerState> onEndJob(LedgerState state, EndJob c) {
    if (state.spec() == null) {
      return reject(c.replyTo(), "cannot end a job: no job has started");
    }
    if (state.ended()) {
      return accept(c.replyTo());
    }
    return persist(new JobEnded(), c.replyTo());
  }

  /** The first block digest that names a block the layout does not have, or repeats one; null if none. */
  private static String checkBlocks(Layout layout, List<BlockDigestEntry> digests) {
    Set<Long> seen = new HashSet<>();
    for (BlockDigestEntry d : digests) {
      if (d.layer() >= layout.layerCount() || d.block() >= layout.blockCount(d.layer())) {
        return "block digest of layer " + d.layer() + ", block " + d.block() + " names no block of " + layout.name();
      }
      if (!seen.add(((long) d.layer() << 32) | d.block())) {
        return "two block digests for layer " + d.layer() + ", block " + d.block();
      }
    }
    return null;
  }

  private ReplyEffect<LedgerEvent, LedgerState> persist(LedgerEvent event, ActorRef<Ack> replyTo) {
    return Effect().persist(event).thenReply(replyTo, s -> Ack.accepted());
  }

  private ReplyEffect<LedgerEvent, LedgerState> accept(ActorRef<Ack> replyTo) {
    return Effect().reply(replyTo, Ack.accepted());
  }

  private ReplyEffect<LedgerEvent, LedgerState> reject(ActorRef<Ack> replyTo, String reason) {
    return Effect().reply(replyTo, Ack.rejected(reason));
  }

  private static String noJob(LedgerState state) {
    return state.spec() == null ? "no job has started" : "the job has ended";
  }

  private static String describe(JobSpec spec) {
    return "model " + spec.config().model() + ", seed " + spec.config().seed() + ", dp" + spec.dp() + " x pp" + spec.pp()
        + (spec.resumeFrom().isEmpty() ? "" : ", from " + spec.resumeFrom());
  }
}
