package io.elaswave.app;

import io.elaswave.actors.client.JobClient;
import io.elaswave.actors.client.JobRestartException;
import io.elaswave.app.launch.LoopbackCluster;
import io.elaswave.engine.data.Corpus;
import io.elaswave.engine.param.Digest;
import io.elaswave.engine.train.Checkpoint;
import io.elaswave.engine.train.ReferenceTrainer;
import io.elaswave.engine.train.StepResult;
import io.elaswave.engine.train.TrainConfig;
import io.elaswave.protocol.fault.Fault;
import io.elaswave.protocol.runtime.DriverMessage;
import io.elaswave.protocol.runtime.JobSpec;
import io.elaswave.protocol.runtime.Recovery;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * Drives a job on the actor runtime, one committed step at a time, carrying out the fault
 * script: a rank fault is handed to the scheduler just before its step is asked for; a node fault
 * strikes a node JVM started here half a step after: a kill SIGKILLs it, a freeze SIGSTOPs it, a
 * partition cuts its link (nodes in network namespaces), the last two undone after their seconds
 * ({@link NodeFaults}). Evaluation and checkpoints collect the full state from the block owners and use the engine here, so they are the same code the reference
 * trainer runs.
 */
public final class RuntimeDriver implements TrainingDriver {
  private final ActorSystem<?> system;
  private final LoopbackCluster cluster;
  private final JobClient client;
  private final TrainConfig config;
  private final ReferenceTrainer evaluator;
  private final String vocab;
  private final String where;
  private final RuntimeOptions options;
  private JobSpec spec; // the job as last started: a restart starts it again from the last checkpoint
  private Path lastCheckpoint;
  private final List<RunEvent> events = new ArrayList<>();
  private final ScheduledExecutorService killer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "elaswave-kill");
    t.setDaemon(true);
    return t;
  });
  /** Wall-clock instant of a node fault made here that no recovery has answered yet, or 0. */
  private volatile long pendingKillMillis;
  private long lastStepNanos = 200_000_000L;
  private String layout;
  private DriverMessage.StepCommitted last;
  private long committed;
  private long furthest; // the highest step asked for: a restart redoes the steps below it
  private String frequency; // the mode the scheduler was last told (it is not in the ledger)
  private long digest;
  private final NodeFaults nodeFaults;
  private final JoinLauncher joins;

  private RuntimeDriver(ActorSystem<?> system, LoopbackCluster cluster, TrainConfig config, Corpus corpus,
      String where, RuntimeOptions options) {
    this.nodeFaults = new NodeFaults(cluster, killer, this::addEvent, at -> pendingKillMillis = at);
    this.system = system;
    this.cluster = cluster;
    this.client = new JobClient(system);
    this.config = config;
    this.evaluator = new ReferenceTrainer(config, corpus);
    this.vocab = corpus.vocab().chars();
    this.where = where;
    this.options = options;
    this.joins = new JoinLauncher(cluster, client, options.ranksPerNode(), config.model(), options.joinsWait(),
        (node, step) -> addEvent(new RunEvent.NodeStarted(System.currentTimeMillis(), node.name(), node.pid(), step,
            cpus(node.name()))));
  }

  /**
   * Brings up the nodes the options ask for (node JVMs' warnings and start lines go to
   * {@code out}) and starts the job, resumed from {@code resume} if not null.
   */
  public static RuntimeDriver start(RuntimeOptions options, TrainConfig config, Path resume, Corpus corpus,
      PrintWriter out) {
    DriverNodes.Up up = DriverNodes.bringUp(options, out);
    LoopbackCluster cluster = up.cluster();
    ActorSystem<?> system = up.system();
    try {
      String where = up.where();
      RuntimeDriver driver = new RuntimeDriver(system, cluster, config, corpus, where, options);
      driver.spec = new JobSpec(config, options.dp(), options.pp(),
          resume == null ? "" : resume.toAbsolutePath().toString(), options.effectiveRankMemory(), options.policy());
      DriverMessage.JobStarted started = driver.client.start(driver.spec);
      driver.layout = started.layout();
      driver.committed = started.step();
      driver.setFrequency(options.frequency());
      if (cluster != null && !options.budgets().isEmpty()) { // the metrics file records every node's budget
        long now = System.currentTimeMillis();
        cluster.processes().nodes().values().forEach(n -> driver.addEvent(new RunEvent.NodeStarted(now, n.name(),
            n.pid(), started.step() + 1, driver.cpus(n.name()))));
      }
      return driver;
    } catch (RuntimeException e) {
      shutdown(system, cluster);
      throw e;
    }
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
    boolean firstTime = step > furthest; // a step redone after a restart does not strike its faults again
    furthest = Math.max(furthest, step);
    if (firstTime && options.joinAt().contains(step)) {
      joins.join(step);
    }
    if (step >= config.steps() - 1) {
      joins.awaitAll(); // a join asked for lands within the run, with a step after it
    }
    for (Fault.RankFault f : options.rankFaults()) {
      if (firstTime && f.step() == step) {
        client.injectFault(f);
        addEvent(new RunEvent.FaultInjected(System.currentTimeMillis(), f.text(), step));
      }
    }
    long t0 = System.nanoTime();
    CompletableFuture<DriverMessage.StepCommitted> reply = CompletableFuture.supplyAsync(() -> client.step(step));
    // strike while the step runs: half a step after asking for it
    long strikeIn = Math.max(20_000_000L, lastStepNanos / 2);
    options.nodeFaults().stream().filter(f -> firstTime && f.step() == step)
        .forEach(f -> killer.schedule(() -> nodeFaults.strike(f), strikeIn, TimeUnit.NANOSECONDS));
    DriverMessage.StepCommitted c;
    try {
      c = reply.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof JobRestartException restart) {
        return restartAndStep(restart.notice(), step);
      }
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
    lastStepNanos = System.nanoTime() - t0;
    c.recoveries().forEach(rec -> addEvent(event(c.step(), rec)));
    if (c.recoveries().stream().anyMatch(rec -> rec.cause().equals("scheduler-failover"))) {
      client.setFrequency(frequency); // a scheduler that took over starts at off
    }
    last = c;
    committed = c.step();
    digest = c.digest();
    layout = c.layout();
    c.clocks().forEach(p -> addEvent(RunEvent.Clocks.of(System.currentTimeMillis(), c.step(), p)));
    return new StepResult(c.step(), c.loss(), c.digest(), c.lr(), c.gradNorm(), c.tokens());
  }

  /**
   * The restart policy ended the job while {@code step} ran: start it again in the shape it names
   * from the last checkpoint this driver wrote (from scratch if none), then run the next step —
   * the first of those redone.
   */
  private StepResult restartAndStep(DriverMessage.RestartRequired notice, long step) {
    long heard = System.currentTimeMillis();
    long faultAt = pendingKillMillis != 0 ? pendingKillMillis : heard;
    pendingKillMillis = 0;
    JobSpec again = spec.restartedAs(notice.dp(), notice.pp(),
        lastCheckpoint == null ? "" : lastCheckpoint.toAbsolutePath().toString());
    DriverMessage.JobStarted started = client.start(again);
    client.setFrequency(frequency);
    long running = System.currentTimeMillis();
    spec = again;
    layout = started.layout();
    committed = started.step();
    digest = 0;
    addEvent(new RunEvent.Restarted(running, step, notice.reason(), started.layout(), started.step(),
        notice.committed() - started.step(), heard - faultAt, running - faultAt));
    return step();
  }

  /** A recovery as an event ({@link RecoveryEvents}); a kill of ours it answers is no longer pending. */
  private RunEvent event(long step, Recovery rec) {
    long killedAt = pendingKillMillis;
    if (killedAt != 0 && RecoveryEvents.answersKill(rec)) {
      pendingKillMillis = 0;
    }
    return RecoveryEvents.of(step, rec, killedAt, System.currentTimeMillis());
  }

  @Override public java.util.Map<String, Double> nodeBudgets() {
    java.util.Map<String, Double> out = new java.util.TreeMap<>();
    if (cluster != null) {
      cluster.processes().nodes().keySet().forEach(n -> cluster.budget(n).ifPresent(b -> out.put(n, b.cpus())));
    }
    return out;
  }

  @Override public List<io.elaswave.app.observe.ClusterMember> members() {
    return io.elaswave.app.observe.ClusterMembers.of(system, cluster == null ? java.util.Map.of() : cluster.nodeAddresses());
  }

  /** Node {@code name}'s CPU budget now, 0 if it has none. */
  private double cpus(String name) {
    return cluster == null ? 0 : cluster.budget(name).map(b -> b.cpus()).orElse(0.0);
  }

  private void addEvent(RunEvent e) {
    synchronized (events) {
      events.add(e);
    }
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

  @Override public io.elaswave.engine.train.TrainState committedState() {
    return client.collectState();
  }

  @Override public Path writeCheckpoint(Path root) {
    lastCheckpoint = new Checkpoint(config, vocab, client.collectState()).write(root);
    return lastCheckpoint;
  }

  @Override public long digest() {
    if (committed > 0 && digest == 0) {
      digest = Digest.ofModel(evaluator.blocks(), client.collectState().params());
    }
    return digest;
  }

  @Override public java.util.Optional<io.elaswave.protocol.runtime.DriverMessage.StepPhases> phases() {
    return java.util.Optional.ofNullable(last).map(DriverMessage.StepCommitted::phases);
  }

  @Override public java.util.Optional<DriverMessage.StepCommitted> lastCommit() {
    return java.util.Optional.ofNullable(last);
  }

  @Override public java.util.Optional<Double> energyJoules() {
    return java.util.Optional.ofNullable(last).map(DriverMessage.StepCommitted::energyJoules);
  }

  /** The job's frequency mode from now on ({@code off}, {@code energy}, {@code power-cap=W}): planned at the next commit. */
  public void setFrequency(String mode) {
    frequency = mode;
    client.setFrequency(mode);
  }

  @Override public String layout() {
    return layout;
  }

  @Override public void close() {
    killer.shutdownNow();
    joins.close();
    try {
      client.stop();
    } catch (RuntimeException e) {
      // the nodes are going away anyway; nothing to keep
    } finally {
      shutdown(system, cluster);
    }
  }

  static void shutdown(ActorSystem<?> system, LoopbackCluster cluster) {
    if (system != null) {
      system.terminate();
      try {
        system.getWhenTerminated().toCompletableFuture().get(Duration.ofSeconds(15).toMillis(),
            TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        // a slow shutdown must not keep the children alive: the cluster closes below
      }
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  /** CPU seconds so far of every node JVM started here that is still alive, by pid. */
  java.util.Map<Long, Double> nodeCpuSeconds() {
    return cluster == null ? java.util.Map.of() : cluster.processes().cpuSecondsByPid();
  }
}
