package io.elaswave.app;

import com.typesafe.config.ConfigFactory;
import io.elaswave.actors.node.NodeSystem;
import io.elaswave.actors.scheduler.SchedulerSingleton;
import io.elaswave.app.launch.ChildGuard;
import io.elaswave.app.launch.CpuBudget;
import io.elaswave.app.launch.SelfBudget;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.SelfUp;
import org.apache.pekko.cluster.typed.Subscribe;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code elaswave node}: one worker JVM of a cluster. It joins the seed, offers room for
 * {@code --ranks} ranks, prints {@code READY host:port pid=N clock=KIND} once it is an Up member, and runs
 * until the cluster or a signal stops it. The scheduler may run here too.
 */
@Command(
    name = "node",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    description = "Run one worker node of an elaswave cluster (one JVM; the same jar on every machine).",
    footer = {"", "Example, two machines A and B:",
        "  A$ elaswave node --host A --port 25520 --seed A:25520 --ranks 2",
        "  B$ elaswave node --host B --port 25520 --seed A:25520 --ranks 2",
        "  A$ elaswave train --model small --dp 2 --pp 2 --cluster A:25520 --host A"})
final class NodeCommand implements Callable<Integer> {
  @Option(names = "--seed", paramLabel = "HOST:PORT", required = true,
      description = "A seed node to join (this node itself for the first one).")
  private String seed;

  @Option(names = "--host", paramLabel = "HOST", description = "Address to bind and advertise (default: 127.0.0.1).")
  private String host = "127.0.0.1";

  @Option(names = "--port", paramLabel = "PORT", description = "Port to bind (default: 25520).")
  private int port = 25520;

  @Option(names = "--ranks", paramLabel = "K", description = "Ranks this node may host (default: 1).")
  private int ranks = 1;

  @Option(names = "--name", paramLabel = "NAME", description = "Node name (default: HOST:PORT).")
  private String name;

  @Option(names = "--journal", paramLabel = "JDBC-URL",
      description = "The job ledger's journal, the same on every node (e.g. jdbc:postgresql://db:5432/elaswave?user=u&"
          + "password=p); without it the ledger is in memory and a lost scheduler node loses the job.")
  private String journal;

  @Option(names = "--tls", paramLabel = "DIR",
      description = "Mutual TLS: the cluster's certificates (elaswave certs --out DIR); this node uses DIR/NAME.p12.")
  private java.nio.file.Path tls;

  @Option(names = "--management-port", paramLabel = "P",
      description = "Serve Pekko Management on HOST:P: the cluster's members (/cluster/members, read-only) and the"
          + " health checks /alive and /ready (ready: an Up member hosting ranks of the job).")
  private Integer managementPort;

  @Option(names = "--cpus", paramLabel = "X",
      description = "Run this node within a CPU budget of X cores (e.g. 0.4), in a control group of its own"
          + " (root): an emulated accelerator of fixed speed. Size the JVM with ELASWAVE_JAVA_OPTS, e.g."
          + " -XX:ActiveProcessorCount=1.")
  private String cpus;

  @Option(names = "--warm-model", paramLabel = "NAME",
      description = "Before offering itself, train a few throwaway steps of this model (tiny, small, base) so its"
          + " kernels are compiled when it joins a running job (the launcher sets it for --join nodes).")
  private String warmModel;

  @Option(names = "--warm-steps", paramLabel = "K",
      description = "Throwaway steps of --warm-model (default: " + KernelWarmup.DEFAULT_STEPS + ").")
  private int warmSteps = KernelWarmup.DEFAULT_STEPS;

  @Override public Integer call() throws Exception {
    ChildGuard.install(); // only arms when a launcher started this JVM: never an orphan
    if (!seed.matches("[^:]+:\\d{1,5}")) {
      throw new InputException("--seed must be HOST:PORT, got '" + seed + "'");
    }
    java.util.Optional<Double> budget = java.util.Optional.empty();
    if (cpus != null) { // before the actor system: the node never trains outside its budget
      budget = java.util.Optional.of(enterBudget(name == null ? host + ":" + port : name).cpus());
    }
    NodeSystem.Settings settings;
    try {
      settings = new NodeSystem.Settings(name == null ? host + ":" + port : name, host, port, List.of(seed), ranks,
          Set.of(SchedulerSingleton.WORKER_ROLE));
    } catch (IllegalArgumentException e) {
      throw new InputException(e.getMessage());
    }
    if (journal != null) { // idempotent: every node may try, the first one creates the tables
      io.elaswave.persistence.journal.JournalSchema.createIfMissing(
          io.elaswave.persistence.journal.JournalDatabase.of(journal));
    }
    com.typesafe.config.Config defaults = ConfigFactory.load();
    io.elaswave.actors.node.FrequencyGovernor governor;
    try {
      governor = io.elaswave.app.launch.Governors.detect(defaults.getString("elaswave.frequency.governor"), budget,
          new io.elaswave.planner.frequency.ClockRange(defaults.getDouble("elaswave.frequency.min-clock"),
              defaults.getDouble("elaswave.frequency.max-clock")));
    } catch (IllegalArgumentException e) {
      throw new InputException(e.getMessage());
    }
    System.out.println("clock governor " + governor.kind() + " " + governor.range());
    if (governor.kind().equals(io.elaswave.app.launch.CgroupClock.KIND)
        && defaults.getBoolean("elaswave.emulation.jit-on-host")) {
      System.out.println(io.elaswave.app.launch.HostThreads.releaseCompilers(
          io.elaswave.app.launch.CpuGroups.detect()));
    }
    if (warmModel != null) { // before the actor system: the job never waits for this node's JIT
      System.out.printf(java.util.Locale.ROOT, "warmed %s kernels in %.1f s (%d throwaway steps)%n", warmModel,
          KernelWarmup.run(warmModel, warmSteps), warmSteps);
    }
    com.typesafe.config.Config overrides = journal == null ? ConfigFactory.empty()
        : ConfigFactory.parseMap(java.util.Map.of("elaswave.journal.url", journal));
    if (tls != null) {
      overrides = overrides.withFallback(io.elaswave.actors.node.NodeTls.using(tls));
    }
    if (managementPort != null) {
      if (managementPort < 1 || managementPort > 65535) {
        throw new InputException("--management-port must be in [1, 65535], got " + managementPort);
      }
      overrides = overrides.withFallback(io.elaswave.app.observe.NodeManagement.config(host, managementPort));
    }
    ActorSystem<?> system;
    try {
      system = NodeSystem.start(settings, overrides, governor);
    } catch (IllegalArgumentException e) {
      throw new InputException(e.getMessage()); // a missing certificate, a frame too small: one line
    }
    if (managementPort != null) {
      try {
        System.out.println("management " + io.elaswave.app.observe.NodeManagement.start(system));
      } catch (IllegalStateException e) {
        system.terminate();
        throw new InputException("--management-port " + managementPort + ": " + e.getMessage());
      }
    }
    awaitUp(system);
    // the clock's kind: a launcher leaves a node with a cgroup clock to take its budget itself (enterJob)
    System.out.println("READY " + host + ":" + port + " pid=" + ProcessHandle.current().pid() + " clock="
        + governor.kind());
    awaitTermination(system);
    return exitCode(settings.name(), CoordinatedShutdown.get(system).getShutdownReason());
  }

  /** How long a shutdown under way may take before the node exits without it (its phases time out at 10 s). */
  private static final long SHUTDOWN_LIMIT_MILLIS = 15_000;

  /**
   * Waits until the actor system has terminated, or until a shutdown under way has run for
   * {@link #SHUTDOWN_LIMIT_MILLIS}: a downed node whose coordinated shutdown timed out (a thread
   * still busy in a rank) must still exit, or it would linger as a stale member's process.
   */
  private static void awaitTermination(ActorSystem<?> system) throws Exception {
    CompletableFuture<?> terminated = system.getWhenTerminated().toCompletableFuture();
    long shutdownSeen = -1;
    while (true) {
      try {
        terminated.get(500, TimeUnit.MILLISECONDS);
        return;
      } catch (java.util.concurrent.TimeoutException e) {
        if (CoordinatedShutdown.get(system).getShutdownReason().isEmpty()) {
          continue;
        }
        long now = System.currentTimeMillis();
        shutdownSeen = shutdownSeen < 0 ? now : shutdownSeen;
        if (now - shutdownSeen > SHUTDOWN_LIMIT_MILLIS) {
          System.err.println("elaswave: the actor system did not finish shutting down in "
              + SHUTDOWN_LIMIT_MILLIS / 1000 + " s; exiting without it");
          return;
        }
      }
    }
  }

  /** Puts this JVM into a control group of its own with the {@code --cpus} budget, or refuses in one line. */
  private CpuBudget enterBudget(String node) {
    CpuBudget budget;
    try {
      budget = CpuBudget.parse(cpus, "--cpus '" + cpus + "'", Runtime.getRuntime().availableProcessors());
    } catch (IllegalArgumentException e) {
      throw new InputException(e.getMessage());
    }
    try {
      System.out.println("CPU budget " + budget + " (an emulated accelerator) in control group "
          + SelfBudget.enter(node, budget));
      return budget;
    } catch (java.io.IOException e) {
      throw new InputException("--cpus needs control groups it can write: " + e.getMessage());
    }
  }

  /**
   * A node the cluster downed (it was unreachable: frozen, cut off, or it lost a partition) must
   * not come back with stale state: it says why in one line and exits non-zero; restarted, it
   * joins as a new member. A stop asked for (SIGTERM, the launcher) is a normal exit.
   */
  static int exitCode(String node, java.util.Optional<CoordinatedShutdown.Reason> reason) {
    if (reason.isPresent() && reason.get() == CoordinatedShutdown.clusterDowningReason()) {
      System.err.println("elaswave: node " + node + " was downed by the cluster (unreachable, frozen or on the losing"
          + " side of a partition); exiting without rejoining: start it again to join as a new member");
      return Main.EXIT_DOWNED;
    }
    if (reason.isPresent() && reason.get() == CoordinatedShutdown.clusterJoinUnsuccessfulReason()) {
      System.err.println("elaswave: node " + node + " could not join the cluster; exiting");
      return Main.EXIT_DOWNED;
    }
    return Main.EXIT_OK;
  }

  /** Blocks until this member is Up (bounded by the seed-join timeout of the cluster). */
  private static void awaitUp(ActorSystem<?> system) throws Exception {
    CompletableFuture<Void> up = new CompletableFuture<>();
    system.systemActorOf(Behaviors.<SelfUp>setup(ctx -> {
      Cluster.get(ctx.getSystem()).subscriptions().tell(Subscribe.create(ctx.getSelf(), SelfUp.class));
      return Behaviors.receiveMessage(m -> {
        up.complete(null);
        return Behaviors.stopped();
      });
    }), "await-up", Props.empty());
    up.get(120, TimeUnit.SECONDS);
  }
}
