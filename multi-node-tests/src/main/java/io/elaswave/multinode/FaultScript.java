package io.elaswave.multinode;

import io.elaswave.actors.client.JobClient;
import io.elaswave.protocol.fault.Fault;
import io.elaswave.protocol.fault.FaultParser;
import io.elaswave.protocol.runtime.DriverMessage;
import io.elaswave.protocol.runtime.Recovery;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A readable fault script in the CLI's vocabulary ({@link Fault}): run steps 1..N and, at chosen
 * steps, SIGKILL chosen nodes while the step runs (a given delay after asking for it) or hand a
 * rank fault to the scheduler just before asking for the step. It records every commit, every
 * recovery the scheduler reported, when each node was killed and which faults were injected, for
 * the scenario's assertions.
 */
public final class FaultScript {
  /** How long after asking for its step a kill added without a delay strikes. */
  public static final Duration DEFAULT_KILL_DELAY = Duration.ofMillis(30);

  /** A fault and, for a kill, how long after the driver asked for the step it strikes. */
  public record Scheduled(Fault fault, Duration after) {}

  /**
   * What happened: commits by step, recoveries in order, kill instants (System.nanoTime) by node,
   * and the faults injected, in order.
   */
  public record Outcome(Map<Long, DriverMessage.StepCommitted> commits, List<Recovery> recoveries,
      Map<String, Long> killedAt, List<Fault> injected) {}

  private final List<Scheduled> faults = new ArrayList<>();

  /** A script of these faults; kills strike {@link #DEFAULT_KILL_DELAY} into their step. */
  public static FaultScript of(List<? extends Fault> faults) {
    FaultScript script = new FaultScript();
    faults.forEach(script::add);
    return script;
  }

  /** A script of faults written as the CLI's --fault takes them, e.g. {@code kill:node-2@3}, {@code hang:r1@4}. */
  public static FaultScript parse(String... faults) {
    FaultScript script = new FaultScript();
    for (String f : faults) {
      script.add(FaultParser.parse(f));
    }
    return script;
  }

  /** Adds a fault; a kill strikes {@link #DEFAULT_KILL_DELAY} into its step. */
  public FaultScript add(Fault fault) {
    faults.add(new Scheduled(fault, DEFAULT_KILL_DELAY));
    return this;
  }

  /** Kill {@code node} {@code after} the driver asked for step {@code atStep}. */
  public FaultScript kill(String node, long atStep, Duration after) {
    faults.add(new Scheduled(new Fault.Kill(node, atStep), after));
    return this;
  }

  public Outcome run(ClusterHarness harness, long steps) {
    JobClient client = harness.client();
    Map<Long, DriverMessage.StepCommitted> commits = new TreeMap<>();
    List<Recovery> recoveries = new ArrayList<>();
    Map<String, Long> killedAt = new java.util.concurrent.ConcurrentSkipListMap<>();
    List<Fault> injected = new java.util.concurrent.CopyOnWriteArrayList<>();
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    try {
      for (long step = 1; step <= steps; step++) {
        long s = step;
        for (Scheduled f : faults) {
          if (f.fault().step() == step && f.fault() instanceof Fault.RankFault rank) {
            client.injectFault(rank);
            injected.add(rank);
          }
        }
        CompletableFuture<DriverMessage.StepCommitted> reply = CompletableFuture.supplyAsync(() -> client.step(s));
        for (Scheduled f : faults) {
          if (f.fault().step() == step && f.fault() instanceof Fault.Kill k) {
            timer.schedule(() -> {
              killedAt.put(k.node(), killNow(harness, k.node()));
              injected.add(k);
            }, f.after().toNanos(), TimeUnit.NANOSECONDS);
          }
        }
        DriverMessage.StepCommitted committed = reply.join();
        commits.put(step, committed);
        recoveries.addAll(committed.recoveries());
      }
    } finally {
      timer.shutdownNow();
    }
    return new Outcome(commits, recoveries, new TreeMap<>(killedAt), List.copyOf(injected));
  }

  private static long killNow(ClusterHarness harness, String node) {
    try {
      harness.node(node).kill();
      return harness.node(node).killedAtNanos().orElseThrow();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
