package io.elaswave.app;

import io.elaswave.actors.client.JobClient;
import io.elaswave.app.launch.LoopbackCluster;
import io.elaswave.app.launch.NodeProcess;
import io.elaswave.planner.NodeId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiConsumer;

/**
 * Node JVMs started for {@code --join}. In the background (the default) a joiner boots and warms
 * its kernels on the job's model while the job trains on, and the scheduler takes it at the first
 * step boundary after it is heard from; the driver waits for joiners still booting only before
 * the run's last two steps, so every join asked for lands within the run with a step after it. Blocking ({@code
 * joinsWait}) the driver waits for the joiner before the step it was asked for: the join then
 * lands at that step, the same for every run (the policy comparison needs that).
 */
final class JoinLauncher implements AutoCloseable {
  private final LoopbackCluster cluster;
  private final JobClient client;
  private final int ranksPerNode;
  private final String model;
  private final boolean waits;
  private final BiConsumer<NodeProcess, Long> started;
  private final ExecutorService boot = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "elaswave-join");
    t.setDaemon(true);
    return t;
  });
  private final List<CompletableFuture<Void>> pending = new ArrayList<>();

  JoinLauncher(LoopbackCluster cluster, JobClient client, int ranksPerNode, String model, boolean waits,
      BiConsumer<NodeProcess, Long> started) {
    this.cluster = cluster;
    this.client = client;
    this.ranksPerNode = ranksPerNode;
    this.model = model;
    this.waits = waits;
    this.started = started;
  }

  /** One more node JVM, warmed on the job's model, asked for at {@code step}. */
  void join(long step) {
    CompletableFuture<Void> f = CompletableFuture.runAsync(() -> startOne(step), boot);
    pending.add(f);
    if (waits) {
      awaitAll();
    }
  }

  /** Waits for every joiner still booting until the scheduler has heard from it. */
  void awaitAll() {
    try {
      pending.forEach(CompletableFuture::join);
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    } finally {
      pending.removeIf(CompletableFuture::isDone);
    }
  }

  private void startOne(long step) {
    try {
      NodeProcess node = cluster.addNode(ranksPerNode, "--warm-model", model);
      client.awaitNode(NodeId.of(node.name()));
      started.accept(node, step);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start a joining node: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting a joining node", e);
    }
  }

  @Override public void close() {
    boot.shutdownNow(); // a joiner still booting is stopped with the cluster
  }
}
