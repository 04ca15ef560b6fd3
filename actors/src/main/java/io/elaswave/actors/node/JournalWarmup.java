package io.elaswave.actors.node;

import io.elaswave.persistence.JobLedger;
import io.elaswave.persistence.LedgerState;
import io.elaswave.persistence.LedgerWarmup;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.typed.PersistenceId;

/**
 * A worker node recovers an empty throwaway ledger once at boot, through the job's journal, so
 * the journal's pools are open and its recovery path loaded and compiled before the scheduler
 * singleton may have to move here, and round-trips one of each ledger event through their binding
 * ({@link LedgerWarmup}): a fail-over then reads the real ledger warm. The actor stops
 * itself (and the throwaway ledger) once it has been answered.
 */
final class JournalWarmup {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  /** The read was answered (or not, with why). */
  private record Read(String error) {}

  private JournalWarmup() {}

  static void start(ActorSystem<?> system, String node) {
    system.systemActorOf(behavior(node), "journal-warmup", Props.empty());
  }

  private static Behavior<Read> behavior(String node) {
    return Behaviors.setup(ctx -> {
      PersistenceId id = PersistenceId.ofUniqueId("elaswave-warmup-" + node + "-" + ProcessHandle.current().pid());
      ActorRef<JobLedger.Command> ledger = ctx.spawn(JobLedger.create(id, JobLedger.DEFAULT_SNAPSHOT_EVERY), "ledger");
      ctx.ask(LedgerState.class, ledger, TIMEOUT, JobLedger.GetState::new,
          (state, error) -> new Read(error == null ? "" : error.toString()));
      return Behaviors.receive(Read.class).onMessage(Read.class, r -> {
        if (!r.error().isEmpty()) {
          ctx.getLog().warn("node {}: the journal did not answer its warm-up read: {}", node, r.error());
        }
        try {
          LedgerWarmup.roundTrip(ctx.getSystem());
        } catch (RuntimeException e) {
          ctx.getLog().warn("node {}: the ledger's events do not round-trip: {}", node, e.toString());
        }
        return Behaviors.stopped();
      }).build();
    });
  }
}
