package io.elaswave.actors.client;

import io.elaswave.actors.rank.SharedCorpus;
import io.elaswave.actors.scheduler.SchedulerSingleton;
import io.elaswave.engine.model.Model;
import io.elaswave.engine.param.ParamBlocks;
import io.elaswave.engine.train.ReferenceTrainer;
import io.elaswave.engine.train.TrainState;
import io.elaswave.protocol.runtime.DriverMessage;
import io.elaswave.protocol.runtime.JobSpec;
import io.elaswave.protocol.runtime.SchedulerMessage;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/** A blocking driver for one job on the cluster this actor system belongs to. */
public final class JobClient {
  private static final AtomicInteger COLLECTORS = new AtomicInteger();

  private final ActorSystem<?> system;
  private final ActorRef<SchedulerMessage> scheduler;
  private final Duration startTimeout;
  private final Duration stepTimeout;
  private final Duration askTimeout;
  private JobSpec job;

  public JobClient(ActorSystem<?> system) {
    this.system = system;
    this.scheduler = SchedulerSingleton.init(system);
    this.startTimeout = system.settings().config().getDuration("elaswave.start-timeout");
    this.stepTimeout = system.settings().config().getDuration("elaswave.step-timeout");
    this.askTimeout = system.settings().config().getDuration("elaswave.ask-timeout");
  }

  /** Starts the job and waits until every rank has its layout (and checkpoint state). */
  public DriverMessage.JobStarted start(JobSpec spec) {
    // the scheduler itself gives up after start-timeout with the reason; wait a little longer
    DriverMessage reply = ask(r -> new SchedulerMessage.StartJob(spec, r), startTimeout.plusSeconds(5),
        "start the job");
    if (reply instanceof DriverMessage.JobStarted started) {
      this.job = spec;
      return started;
    }
    throw new JobException("the cluster refused the job: " + reason(reply));
  }

  /**
   * Runs and commits step {@code step}. The request is idempotent, so it is repeated every
   * ask-timeout until step-timeout: a scheduler that moved to another node answers the repeat.
   */
  public DriverMessage.StepCommitted step(long step) {
    long deadline = System.nanoTime() + stepTimeout.toNanos();
    while (true) {
      try {
        DriverMessage reply = ask(r -> new SchedulerMessage.RunNextStep(step, r), askTimeout, "commit step " + step);
        if (reply instanceof DriverMessage.StepCommitted committed) {
          return committed;
        }
        if (reply instanceof DriverMessage.RestartRequired restart) {
          throw new JobRestartException(restart);
        }
        if (reply instanceof DriverMessage.JobHalted halted) {
          throw new JobHaltedException(halted);
        }
        throw new JobException("step " + step + " failed: " + reason(reply));
      } catch (JobException e) {
        if (e instanceof JobRestartException || e instanceof JobHaltedException || !(e.getCause() instanceof TimeoutException)
            || System.nanoTime() > deadline) {
          throw e; // refused, or out of time
        }
      }
    }
  }

  /**
   * Arms a rank fault through the scheduler, which forwards it to the rank; it strikes during
   * the fault's step. Send it before asking for that step.
   */
  public void injectFault(io.elaswave.protocol.fault.Fault.RankFault fault) {
    scheduler.tell(new SchedulerMessage.InjectFault(fault));
  }

  /** Sets the job's frequency mode ({@code off}, {@code energy}, {@code power-cap=W}); the clocks follow at the next commit. */
  public void setFrequency(String mode) {
    scheduler.tell(new SchedulerMessage.SetFrequency(mode));
  }

  /** Waits until the scheduler hears from {@code node}; a running job then takes it at the next step. */
  public void awaitNode(io.elaswave.planner.NodeId node) {
    DriverMessage reply = ask(r -> new SchedulerMessage.AwaitNode(node, r), startTimeout, "hear from " + node.name());
    if (!(reply instanceof DriverMessage.NodeKnown)) {
      throw new JobException("node " + node.name() + " never reached the scheduler: " + reason(reply));
    }
  }

  /** The full training state (parameters and moments) after the last committed step. */
  public TrainState collectState() {
    if (job == null) {
      throw new IllegalStateException("no job started");
    }
    Model model = new Model(job.config().modelConfig(SharedCorpus.get().vocab().size()));
    ParamBlocks blocks = ReferenceTrainer.paramBlocks(model);
    CompletableFuture<TrainState> result = new CompletableFuture<>();
    ActorRef<DriverMessage> collector = system.systemActorOf(StateCollector.create(blocks, result),
        "state-collector-" + COLLECTORS.incrementAndGet(), Props.empty());
    scheduler.tell(new SchedulerMessage.CollectState(collector));
    return await(result, stepTimeout, "collect the training state");
  }

  /** Stops the job's ranks. */
  public void stop() {
    ask(SchedulerMessage.StopJob::new, stepTimeout, "stop the job");
    job = null;
  }

  private DriverMessage ask(Function<ActorRef<DriverMessage>, SchedulerMessage> message, Duration timeout,
      String what) {
    CompletionStage<DriverMessage> reply = AskPattern.ask(scheduler, message::apply, timeout, system.scheduler());
    return await(reply.toCompletableFuture(), timeout.plusSeconds(1), what);
  }

  private static <T> T await(CompletableFuture<T> future, Duration timeout, String what) {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new JobException("timed out after " + timeout.toSeconds() + " s waiting to " + what, e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof JobException j) {
        throw j;
      }
      throw new JobException("could not " + what + ": " + cause, cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new JobException("interrupted while waiting to " + what, e);
    }
  }

  private static String reason(DriverMessage reply) {
    return reply instanceof DriverMessage.JobRejected r ? r.reason() : "unexpected reply " + reply;
  }
}
