package io.elaswave.actors.scheduler;

import io.elaswave.persistence.Ack;
import io.elaswave.persistence.JobLedger;
import io.elaswave.protocol.runtime.SchedulerMessage;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;

/**
 * Writes to the job ledger and runs the continuation once the write is durable: the scheduler
 * acts on a plan or a commit only after the ledger holds it, so a scheduler that dies in
 * between never told anyone about something a successor would not find.
 */
final class LedgerWriter {
  // a journal that blinks (a lock held by a writer that froze, until the database ends its
  // session) fails a write, and the ledger restarts: the write is asked again, being idempotent
  private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(5);
  private static final int ATTEMPTS = 6;

  private final ActorContext<SchedulerMessage> context;
  private final ActorRef<JobLedger.Command> ledger;
  private final Map<Long, Continuation> pending = new HashMap<>();
  private long tokens;

  private record Continuation(Function<ActorRef<Ack>, JobLedger.Command> command, Runnable then,
      Consumer<String> refused, int attempt) {}

  LedgerWriter(ActorContext<SchedulerMessage> context) {
    this.context = context;
    // the ledger recovers from the journal first: after a fail-over it holds the job this
    // scheduler takes over
    this.ledger = context.spawn(JobLedger.create(), "ledger");
  }

  ActorRef<JobLedger.Command> ledger() {
    return ledger;
  }

  /** Records {@code command}; {@code then} runs once it is durable, {@code refused} with the reason otherwise. */
  void record(Function<ActorRef<Ack>, JobLedger.Command> command, Runnable then, Consumer<String> refused) {
    long token = ++tokens;
    pending.put(token, new Continuation(command, then, refused, 1));
    ask(token, command);
  }

  private void ask(long token, Function<ActorRef<Ack>, JobLedger.Command> command) {
    context.ask(Ack.class, ledger, WRITE_TIMEOUT, command::apply,
        (ack, error) -> new SchedulerMessage.LedgerAcked(token, ack != null && ack.isAccepted(),
            ack instanceof Ack.Rejected r ? r.reason() : error != null ? RETRY + error : ""));
  }

  private static final String RETRY = "no answer: ";

  void onAcked(SchedulerMessage.LedgerAcked m) {
    Continuation c = pending.remove(m.token());
    if (c == null) {
      return;
    }
    if (m.accepted()) {
      c.then().run();
    } else if (m.reason().startsWith(RETRY) && c.attempt() < ATTEMPTS) {
      context.getLog().warn("the job ledger did not answer ({}); asking again", m.reason());
      pending.put(m.token(), new Continuation(c.command(), c.then(), c.refused(), c.attempt() + 1));
      ask(m.token(), c.command());
    } else {
      c.refused().accept(m.reason());
    }
  }
}
