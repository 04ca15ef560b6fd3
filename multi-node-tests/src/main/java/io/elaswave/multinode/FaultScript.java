package io.elaswave.multinode;

import io.elaswave.actors.client.JobClient;
import io.elaswave.protocol.fault.Fault;
import io.elaswave.protocol.fault.FaultParser;
import io.elaswave.protocol.runtime.DriverMessage;
import io.elaswave.protocol.runtime.Recovery;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A readable fault script in the CLI's vocabulary ({@link Fault}): run steps 1..N and, at chosen
 * steps, strike chosen nodes while the step runs (a given delay after asking for it) — SIGKILL,
 * SIGSTOP (a freeze, SIGCONT after its seconds if any) or a cut link (a partition, healed after
 * its seconds if any; the harness must run in namespaces) — or hand a rank fault to the scheduler
 * just before asking for the step, or start a joining node before it. It records every commit, every recovery the scheduler
 * reported, when each node was struck and which faults were injected, for the scenario's
 * assertions.
 */
public final class FaultScript {
  /** How long after asking for its step a node fault added without a delay strikes. */
  public static final Duration DEFAULT_KILL_DELAY = Duration.ofMillis(30);

  /** A fault and, for a node fault, how long after the driver asked for the step it strikes. */
  public record Scheduled(Fault fault, Duration after) {}

  /**
   * What happened: commits by step, recoveries in order, kill instants (System.nanoTime) by node,
   * the faults injected, in order, and the wall-clock instant of each node's (latest) node fault
   * (kill, freeze or partition: comparable with a recovery's faultAtMillis).
   */
  public record Outcome(Map<Long, DriverMessage.StepCommitted> commits, List<Recovery> recoveries,
      Map<String, Long> killedAt, List<Fault> injected, Map<String, Long> faultAtMillis) {}

  private final List<Scheduled> faults = new ArrayList<>();
  private final java.util.Set<Long> joins = new java.util.TreeSet<>();

  /** A script of these faults; node faults strike {@link #DEFAULT_KILL_DELAY} into their step. */
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

  /** Adds a fault; a node fault strikes {@link #DEFAULT_KILL_DELAY} into its step. */
  public FaultScript add(Fault fault) {
    return add(fault, DEFAULT_KILL_DELAY);
  }

  /** Adds a fault; a node fault strikes {@code after} the driver asked for its step. */
  public FaultScript add(Fault fault, Duration after) {
    faults.add(new Scheduled(fault, after));
    return this;
  }

  /** Kill {@code node} {@code after} the driver asked for step {@code atStep}. */
  public FaultScript kill(String node, long atStep, Duration after) {
    return add(new Fault.Kill(node, atStep), after);
  }

  /** Freeze {@code node} {@code after} the driver asked for step {@code atStep}; thaw after {@code seconds} (0: never). */
  public FaultScript freeze(String node, long atStep, Duration after, long seconds) {
    return add(new Fault.Freeze(node, atStep, seconds), after);
  }

  /** Cut {@code node}'s link {@code after} the driver asked for step {@code atStep}; heal after {@code seconds} (0: never). */
  public FaultScript partition(String node, long atStep, Duration after, long seconds) {
    return add(new Fault.Partition(node, atStep, seconds), after);
  }

  /** Before asking for step {@code atStep}, start one more node (one rank) and wait until the scheduler hears it. */
  public FaultScript join(long atStep) {
    joins.add(atStep);
    return this;
  }

  public Outcome run(ClusterHarness harness, long steps) {
    JobClient client = harness.client();
    Map<Long, DriverMessage.StepCommitted> commits = new TreeMap<>();
    List<Recovery> recoveries = new ArrayList<>();
    Map<String, Long> killedAt = new ConcurrentSkipListMap<>();
    Map<String, Long> faultAt = new ConcurrentSkipListMap<>();
    List<Fault> injected = new CopyOnWriteArrayList<>();
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    try {
      for (long step = 1; step <= steps; step++) {
        long s = step;
        if (joins.contains(step)) {
          joinNow(harness);
        }
        for (Scheduled f : faults) {
          if (f.fault().step() == step && f.fault() instanceof Fault.RankFault rank) {
            client.injectFault(rank);
            injected.add(rank);
          }
        }
        CompletableFuture<DriverMessage.StepCommitted> reply = CompletableFuture.supplyAsync(() -> client.step(s));
        for (Scheduled f : faults) {
          if (f.fault().step() == step && f.fault() instanceof Fault.NodeFault n) {
            timer.schedule(() -> {
              faultAt.put(n.node(), strike(harness, n, killedAt, timer));
              injected.add(n);
            }, f.after().toNanos(), TimeUnit.NANOSECONDS);
          }
        }
        DriverMessage.StepCommitted committed = reply.join();
        commits.put(step, committed);
        recoveries.addAll(committed.recoveries());
      }
    } finally {
      timer.shutdownNow(); // undos still pending are left to the harness's close, which thaws and removes all
    }
    return new Outcome(commits, recoveries, new TreeMap<>(killedAt), List.copyOf(injected), new TreeMap<>(faultAt));
  }

  private static void joinNow(ClusterHarness harness) {
    try {
      harness.addNode(1);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start a joining node", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while a node joined", e);
    }
  }

  /** Carries out a node fault now and returns its wall-clock instant; schedules its undo. */
  private static long strike(ClusterHarness harness, Fault.NodeFault f, Map<String, Long> killedAt,
      ScheduledExecutorService timer) {
    try {
      if (f instanceof Fault.Kill k) {
        long nanos = killNow(harness, k.node());
        killedAt.put(k.node(), nanos);
        return System.currentTimeMillis() - (System.nanoTime() - nanos) / 1_000_000;
      } else if (f instanceof Fault.Freeze z) {
        long at = harness.freeze(z.node());
        undoLater(timer, z.seconds(), () -> harness.thaw(z.node()));
        return at;
      } else if (f instanceof Fault.Partition p) {
        long at = harness.partition(p.node());
        undoLater(timer, p.seconds(), () -> harness.heal(p.node()));
        return at;
      } else {
        throw new UnsupportedOperationException(f.text() + ": the harness starts its nodes without CPU budgets");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot carry out " + f.text(), e);
    }
  }

  private interface Undo {
    long run() throws IOException;
  }

  private static void undoLater(ScheduledExecutorService timer, long seconds, Undo undo) {
    if (seconds > 0) {
      timer.schedule(() -> {
        try {
          undo.run();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }, seconds, TimeUnit.SECONDS);
    }
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
