package io.elaswave.multinode;

import io.elaswave.actors.client.JobClient;
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
 * A readable fault script: run steps 1..N and, at chosen steps, SIGKILL chosen nodes while the
 * step runs (a given delay after asking for it). It records every commit, every recovery the
 * scheduler reported and when each node was killed, for the scenario's assertions.
 */
public final class FaultScript {
  /** Kill {@code node} {@code after} the driver asked for step {@code step}. */
  public record Kill(long step, String node, Duration after) {}

  /** What happened: commits by step, recoveries in order, kill instants (System.nanoTime) by node. */
  public record Outcome(Map<Long, DriverMessage.StepCommitted> commits, List<Recovery> recoveries,
      Map<String, Long> killedAt) {}

  private final List<Kill> kills = new ArrayList<>();

  public FaultScript kill(String node, long atStep, Duration after) {
    kills.add(new Kill(atStep, node, after));
    return this;
  }

  public Outcome run(ClusterHarness harness, long steps) {
    JobClient client = harness.client();
    Map<Long, DriverMessage.StepCommitted> commits = new TreeMap<>();
    List<Recovery> recoveries = new ArrayList<>();
    Map<String, Long> killedAt = new TreeMap<>();
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    try {
      for (long step = 1; step <= steps; step++) {
        long s = step;
        CompletableFuture<DriverMessage.StepCommitted> reply = CompletableFuture.supplyAsync(() -> client.step(s));
        for (Kill k : kills) {
          if (k.step() == step) {
            timer.schedule(() -> killedAt.put(k.node(), killNow(harness, k.node())), k.after().toNanos(),
                TimeUnit.NANOSECONDS);
          }
        }
        DriverMessage.StepCommitted committed = reply.join();
        commits.put(step, committed);
        recoveries.addAll(committed.recoveries());
      }
    } finally {
      timer.shutdownNow();
    }
    return new Outcome(commits, recoveries, killedAt);
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
