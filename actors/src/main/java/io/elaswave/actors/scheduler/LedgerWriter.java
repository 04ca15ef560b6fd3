package io.elaswave.actors.scheduler;

import io.elaswave.persistence.Ack;
import io.elaswave.persistence.JobLedger;
import io.elaswave.protocol.runtime.SchedulerMessage;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;

/**
 * Writes to the job ledger and runs the continuation once the write is durable: the scheduler
 * acts on a plan or a commit only after the ledger holds it, so a scheduler that dies in
 * between never told anyone about something a successor would not find.
 *
 * <p>A journal that stops answering (its database down, or a lock held by a writer that froze)
 * is an outage: said once, the write asked again with growing waits — every write is
 * idempotent, so one that landed before its answer was lost is acknowledged as a repeat — and
 * the end of the outage said once too. A write still unanswered {@code outageLimit} after the
 * outage began is refused with a reason that {@link #isOutage} recognises.
 */
final class LedgerWriter {
  // the first answer may take this long on a loaded machine; later attempts wait 1, 2, 4, 4… s
  private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration FIRST_RETRY_WAIT = Duration.ofSeconds(1);
  private static final Duration MAX_RETRY_WAIT = Duration.ofSeconds(4);
  private static final String RETRY = "no answer: ";
  private static final String OUTAGE = "the job ledger's journal did not answer for ";

  private final ActorContext<SchedulerMessage> context;
  private final ActorRef<JobLedger.Command> ledger;
  private final Duration outageLimit;
  private final Map<Long, Continuation> pending = new HashMap<>();
  private long tokens;
  /** When the current outage began (the first write that went unanswered), if there is one. */
  private Optional<Long> outageSinceMillis = Optional.empty();

  private record Continuation(Function<ActorRef<Ack>, JobLedger.Command> command, Runnable then,
      Consumer<String> refused, int attempt) {}

  LedgerWriter(ActorContext<SchedulerMessage> context, Duration outageLimit) {
    this.context = context;
    this.outageLimit = outageLimit;
    // the ledger recovers from the journal first: after a fail-over it holds the job this
    // scheduler takes over
    this.ledger = context.spawn(JobLedger.create(), "ledger");
  }

  ActorRef<JobLedger.Command> ledger() {
    return ledger;
  }

  /** True when {@code reason} is a refusal because the journal stayed unreachable past the limit. */
  static boolean isOutage(String reason) {
    return reason.startsWith(OUTAGE);
  }

  /** Records {@code command}; {@code then} runs once it is durable, {@code refused} with the reason otherwise. */
  void record(Function<ActorRef<Ack>, JobLedger.Command> command, Runnable then, Consumer<String> refused) {
    long token = ++tokens;
    pending.put(token, new Continuation(command, then, refused, 1));
    ask(token, command, WRITE_TIMEOUT);
  }

  private void ask(long token, Function<ActorRef<Ack>, JobLedger.Command> command, Duration timeout) {
    context.ask(Ack.class, ledger, timeout, command::apply,
        (ack, error) -> new SchedulerMessage.LedgerAcked(token, ack != null && ack.isAccepted(),
            ack instanceof Ack.Rejected r ? r.reason() : error != null ? RETRY + error : ""));
  }

  void onAcked(SchedulerMessage.LedgerAcked m) {
    Continuation c = pending.remove(m.token());
    if (c == null) {
      return;
    }
    long now = System.currentTimeMillis();
    if (m.accepted()) {
      outageSinceMillis.ifPresent(since -> context.getLog().warn(
          "the job ledger's journal answers again after {} ms: carrying on", now - since));
      outageSinceMillis = Optional.empty();
      c.then().run();
      return;
    }
    if (!m.reason().startsWith(RETRY)) {
      c.refused().accept(m.reason()); // the ledger answered, and said no
      return;
    }
    if (outageSinceMillis.isEmpty()) {
      // the write has been out WRITE_TIMEOUT already: that is when the outage became visible
      outageSinceMillis = Optional.of(now - WRITE_TIMEOUT.toMillis());
      context.getLog().warn("the job ledger's journal does not answer ({}): nothing is committed until it does;"
          + " asking again for up to {} s", m.reason(), outageLimit.toSeconds());
    }
    long out = now - outageSinceMillis.get();
    if (out >= outageLimit.toMillis()) {
      c.refused().accept(OUTAGE + (out / 1000) + " s (limit " + outageLimit.toSeconds() + " s)");
      return;
    }
    pending.put(m.token(), new Continuation(c.command(), c.then(), c.refused(), c.attempt() + 1));
    ask(m.token(), c.command(), retryWait(c.attempt()));
  }

  /** The wait of the attempt after {@code attempt}: 1 s, doubling, at most 4 s. */
  static Duration retryWait(int attempt) {
    long millis = FIRST_RETRY_WAIT.toMillis() << Math.min(attempt - 1, 10);
    return Duration.ofMillis(Math.min(millis, MAX_RETRY_WAIT.toMillis()));
  }
}
