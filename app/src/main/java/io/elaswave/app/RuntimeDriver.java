package io.elaswave.app;

import com.typesafe.config.ConfigFactory;
import io.elaswave.actors.client.JobClient;
import io.elaswave.actors.node.NodeSystem;
import io.elaswave.actors.scheduler.SchedulerSingleton;
import io.elaswave.app.launch.LocalCluster;
import io.elaswave.engine.data.Corpus;
import io.elaswave.engine.param.Digest;
import io.elaswave.engine.train.Checkpoint;
import io.elaswave.engine.train.ReferenceTrainer;
import io.elaswave.engine.train.StepResult;
import io.elaswave.engine.train.TrainConfig;
import io.elaswave.protocol.runtime.DriverMessage;
import io.elaswave.protocol.runtime.JobSpec;
import io.elaswave.protocol.runtime.Recovery;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * Drives a job on the actor runtime, one committed step at a time. Evaluation and checkpoints
 * collect the full state from the block owners and use the engine here, so they are the same
 * code the reference trainer runs.
 */
final class RuntimeDriver implements TrainingDriver {
  private final ActorSystem<?> system;
  private final NodeLauncher.Launched launched;
  private final LocalCluster cluster;
  private final JobClient client;
  private final TrainConfig config;
  private final ReferenceTrainer evaluator;
  private final String vocab;
  private final String where;
  private final List<RuntimeOptions.Kill> kills;
  private final List<Long> joinAt;
  private final int ranksPerNode;
  private final String seed;
  private final List<RunEvent> events = new java.util.ArrayList<>();
  private final java.util.concurrent.ScheduledExecutorService killer =
      java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "elaswave-kill");
        t.setDaemon(true);
        return t;
      });
  private long lastKillNanos;
  private long lastStepNanos = 200_000_000L;
  private String layout;
  private DriverMessage.StepCommitted last;
  private long committed;
  private long digest;

  private RuntimeDriver(ActorSystem<?> system, NodeLauncher.Launched launched, JobClient client, TrainConfig config,
      Corpus corpus, String where, RuntimeOptions options, String seed) {
    this.kills = options.kills();
    this.joinAt = options.joinAt();
    this.ranksPerNode = options.ranksPerNode();
    this.seed = seed;
    this.system = system;
    this.launched = launched;
    this.cluster = launched == null ? null : launched.cluster();
    this.client = client;
    this.config = config;
    this.evaluator = new ReferenceTrainer(config, corpus);
    this.vocab = corpus.vocab().chars();
    this.where = where;
  }

  /** Brings up the nodes the options ask for and starts the job (resumed from {@code resume} if not null). */
  static RuntimeDriver start(RuntimeOptions options, TrainConfig config, Path resume, Corpus corpus,
      PrintWriter out) {
    return start(options, config, resume, corpus, out, List.of());
  }

  /** As above; node JVMs started here also get {@code nodeJvmOptions}. */
  static RuntimeDriver start(RuntimeOptions options, TrainConfig config, Path resume, Corpus corpus,
      PrintWriter out, List<String> nodeJvmOptions) {
    NodeLauncher.Launched launched = null;
    ActorSystem<?> system = null;
    try {
      String where;
      String seed = null;
      if (!options.local()) {
        system = NodeSystem.start(driverSettings(options.host(), options.join()), ConfigFactory.empty());
        where = "the cluster at " + options.join();
      } else if (options.nodes() == 1) {
        system = NodeSystem.start(new NodeSystem.Settings("node-0", "127.0.0.1", 0, List.of(),
            Math.max(options.ranksPerNode(), options.dp() * options.pp()),
            Set.of(SchedulerSingleton.WORKER_ROLE, NodeSystem.DRIVER_ROLE)), ConfigFactory.empty());
        where = "this JVM";
      } else {
        launched = NodeLauncher.launch(options.nodes(), options.ranksPerNode(), out, nodeJvmOptions,
            options.journal());
        seed = launched.seed();
        system = NodeSystem.start(driverSettings("127.0.0.1", launched.seed()), ConfigFactory.empty());
        where = options.nodes() + " node JVMs";
      }
      JobClient client = new JobClient(system);
      RuntimeDriver driver = new RuntimeDriver(system, launched, client, config, corpus, where, options, seed);
      DriverMessage.JobStarted started = client.start(new JobSpec(config, options.dp(), options.pp(),
          resume == null ? "" : resume.toAbsolutePath().toString()));
      driver.layout = started.layout();
      driver.committed = started.step();
      return driver;
    } catch (RuntimeException e) {
      shutdown(system, launched);
      throw e;
    }
  }

  private static NodeSystem.Settings driverSettings(String host, String seed) {
    return new NodeSystem.Settings("driver", host, 0, List.of(seed), 0, Set.of(NodeSystem.DRIVER_ROLE));
  }

  @Override public String description() {
    int seqLen = evaluator.model().config().seqLen();
    return String.format(Locale.ROOT,
        "runtime %s on %s: model %s (%,d params), %d micro-batches x %d x %d tokens = %d tokens/step, seed %d,"
            + " lr %.2e",
        layout, where, config.model(), evaluator.model().paramCount(), config.microBatches(), config.microBatchSize(),
        seqLen, config.tokensPerStep(seqLen), config.seed(), config.lr());
  }

  @Override public long committedSteps() {
    return committed;
  }

  @Override public StepResult step() {
    long step = committed + 1;
    if (joinAt.contains(step)) {
      startJoiningNode(step);
    }
    long t0 = System.nanoTime();
    java.util.concurrent.CompletableFuture<DriverMessage.StepCommitted> reply =
        java.util.concurrent.CompletableFuture.supplyAsync(() -> client.step(step));
    // kill while the step runs: half a step after asking for it
    kills.stream().filter(k -> k.step() == step).forEach(k -> killer.schedule(() -> kill(k),
        Math.max(20_000_000L, lastStepNanos / 2), java.util.concurrent.TimeUnit.NANOSECONDS));
    DriverMessage.StepCommitted c;
    try {
      c = reply.join();
    } catch (java.util.concurrent.CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
    long now = System.nanoTime();
    lastStepNanos = now - t0;
    for (Recovery rec : c.recoveries()) {
      if (rec.cause().equals("node-joined")) {
        addEvent(RunEvent.of("node-joined", "step", c.step(), "nodes", rec.nodes().toString(), "ranks",
            rec.ranks().toString(), "layout", rec.layout(), "reconfigureMillis",
            (double) (rec.readyAtMillis() - rec.detectedAtMillis())));
        continue;
      }
      // a kill this driver made is timed from its own instant; any other fault from the
      // scheduler's first sight of it (both wall clocks: the same machine here)
      long faultAt = lastKillNanos != 0 ? System.currentTimeMillis() - (System.nanoTime() - lastKillNanos) / 1_000_000
          : rec.faultAtMillis();
      addEvent(RunEvent.of("recovered", "step", c.step(), "cause", rec.cause(), "nodes", rec.nodes().toString(),
          "ranks", rec.ranks().toString(), "layout", rec.layout(), "abandonedStep", rec.abandonedStep(),
          "detectMillis", (double) (rec.detectedAtMillis() - faultAt),
          "mttrMillis", (double) (rec.readyAtMillis() - faultAt),
          "redoneMillis", (double) (System.currentTimeMillis() - faultAt)));
      lastKillNanos = 0;
    }
    last = c;
    committed = c.step();
    digest = c.digest();
    layout = c.layout();
    return new StepResult(c.step(), c.loss(), c.digest(), c.lr(), c.gradNorm(), c.tokens());
  }

  /** Starts one more node JVM and waits until the scheduler hears from it: it joins at this step's start. */
  private void startJoiningNode(long step) {
    int index = cluster.nodes().size();
    try {
      int port = io.elaswave.app.launch.FreePorts.pick(1).get(0);
      Path log = cluster.nodes().values().iterator().next().logFile().resolveSibling("node-" + index + ".log");
      var node = cluster.start(NodeLauncher.spec(index, port, seed, ranksPerNode, log.getParent(),
          launched.nodeOptions()));
      node.awaitReady(java.time.Duration.ofSeconds(60));
      client.awaitNode(io.elaswave.planner.NodeId.of(node.name()));
      addEvent(RunEvent.of("node-started", "node", node.name(), "pid", node.pid(), "step", step));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot start a joining node: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting a joining node", e);
    }
  }

  private void kill(RuntimeOptions.Kill k) {
    try {
      long pid = cluster.node(k.node()).pid();
      cluster.kill(k.node());
      lastKillNanos = cluster.node(k.node()).killedAtNanos().orElse(System.nanoTime());
      addEvent(RunEvent.of("node-killed", "node", k.node(), "pid", pid, "step", k.step()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void addEvent(RunEvent e) {
    synchronized (events) {
      events.add(e);
    }
  }

  private static double millis(long nanos) {
    return Math.round(nanos / 1e4) / 100.0;
  }

  @Override public List<RunEvent> drainEvents() {
    synchronized (events) {
      List<RunEvent> out = List.copyOf(events);
      events.clear();
      return out;
    }
  }

  @Override public float evaluate() {
    return evaluator.evaluate(client.collectState());
  }

  @Override public Path writeCheckpoint(Path root) {
    return new Checkpoint(config, vocab, client.collectState()).write(root);
  }

  @Override public long digest() {
    if (committed > 0 && digest == 0) {
      digest = Digest.ofModel(evaluator.blocks(), client.collectState().params());
    }
    return digest;
  }

  @Override public String layout() {
    return layout;
  }

  @Override public void close() {
    killer.shutdownNow();
    try {
      client.stop();
    } catch (RuntimeException e) {
      // the nodes are going away anyway; nothing to keep
    } finally {
      shutdown(system, launched);
    }
  }

  private static void shutdown(ActorSystem<?> system, NodeLauncher.Launched launched) {
    if (system != null) {
      system.terminate();
      try {
        system.getWhenTerminated().toCompletableFuture().get(Duration.ofSeconds(15).toMillis(),
            java.util.concurrent.TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        // a slow shutdown must not keep the children alive: the cluster closes below
      }
    }
    if (launched != null) {
      launched.close();
    }
  }

  /** Rank-to-rank tensor traffic of the last committed step: {bytes, messages}. */
  long[] lastTraffic() {
    return last == null ? new long[2] : new long[] {last.bytes(), last.messages()};
  }
}
