package io.elaswave.app.observe;

import io.elaswave.app.RunEvent;
import io.elaswave.app.RunWatch;
import io.elaswave.app.TrainingDriver;
import io.elaswave.engine.train.StepResult;
import io.elaswave.protocol.runtime.DriverMessage;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The driver's Prometheus metrics, kept by the Prometheus Java client and served as
 * {@code /metrics} by {@link DriverHttp}: progress (committed step, loss, throughput, step time),
 * recoveries (re-plans by cause, time to recover), traffic (tensor bytes and messages, stale
 * messages dropped, snapshot bytes) and the nodes (budgets, clocks, ranks), plus the driver
 * JVM's own. Names are listed in the README ("Watching a run").
 */
public final class LiveMetrics implements RunWatch {
  private static final double[] STEP_BOUNDS = {0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};
  private static final double[] RECOVERY_BOUNDS = {0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Gauge committedStep = gauge("elaswave_committed_step", "The last step committed by the job.");
  private final Gauge lastStep = gauge("elaswave_last_step", "The step the run ends at.");
  private final Counter steps = counter("elaswave_steps_committed", "Steps committed during this run.");
  private final Gauge loss = gauge("elaswave_loss", "Training loss of the last committed step.");
  private final Gauge validationLoss = gauge("elaswave_validation_loss", "Validation loss of the last evaluation.");
  private final Gauge tokensPerSecond = gauge("elaswave_tokens_per_second", "Tokens per second of the last step.");
  private final Counter tokens = counter("elaswave_tokens", "Tokens trained on during this run.");
  private final Histogram stepSeconds = Histogram.builder().name("elaswave_step_seconds")
      .help("Wall time of each committed step, on the driver's clock.").classicOnly()
      .classicUpperBounds(STEP_BOUNDS).register(registry);
  private final Gauge phaseSeconds = Gauge.builder().name("elaswave_step_phase_seconds")
      .help("Where the last step's time went: the slowest rank per phase (phases overlap).")
      .labelNames("phase").register(registry);
  private final Counter replans = Counter.builder().name("elaswave_replans")
      .help("Layout changes by cause: node-dead, rank-error, step-deadline, scheduler-failover, node-joined, slow,"
          + " migrated, restart, ...").labelNames("cause").register(registry);
  private final Counter faults = Counter.builder().name("elaswave_faults_injected")
      .help("Faults the driver's script injected, by kind.").labelNames("kind").register(registry);
  private final Histogram recoverySeconds = Histogram.builder().name("elaswave_recovery_seconds")
      .help("Time to recover (MTTR): from a fault to training running again.").classicOnly()
      .classicUpperBounds(RECOVERY_BOUNDS).register(registry);
  private final Histogram detectSeconds = Histogram.builder().name("elaswave_recovery_detect_seconds")
      .help("From a fault to the scheduler's detection of it.").classicOnly()
      .classicUpperBounds(RECOVERY_BOUNDS).register(registry);
  private final Gauge stepBytes = gauge("elaswave_step_tensor_bytes", "Rank-to-rank tensor bytes of the last step.");
  private final Gauge stepMessages = gauge("elaswave_step_tensor_messages",
      "Rank-to-rank tensor messages of the last step.");
  private final Counter bytes = counter("elaswave_tensor_bytes", "Rank-to-rank tensor bytes during this run.");
  private final Counter messages = counter("elaswave_tensor_messages",
      "Rank-to-rank tensor messages during this run.");
  private final Counter staleDropped = counter("elaswave_stale_messages_dropped",
      "Tensors ranks dropped as stale (from an older epoch or step).");
  private final Gauge stepSnapshotBytes = gauge("elaswave_step_snapshot_bytes",
      "Bytes replicated to snapshot buddies in the last step (a committed step is always held by its buddy).");
  private final Counter snapshotBytes = counter("elaswave_snapshot_bytes",
      "Bytes replicated to snapshot buddies during this run.");
  private final Gauge energy = gauge("elaswave_step_energy_joules",
      "Modelled energy of the last step (not metered on emulated accelerators).");
  private final Gauge epoch = gauge("elaswave_layout_epoch", "Epoch of the layout the last step ran under.");
  private final Gauge layout = Gauge.builder().name("elaswave_layout_info")
      .help("The layout the last step ran under (value 1).").labelNames("layout").register(registry);
  private final Gauge nodeRanks = Gauge.builder().name("elaswave_node_ranks")
      .help("Working ranks on each node in the last step.").labelNames("node").register(registry);
  private final Gauge nodeClock = Gauge.builder().name("elaswave_node_clock")
      .help("Each working node's clock in the last step, a fraction of its nominal speed.").labelNames("node")
      .register(registry);
  private final Gauge nodeBudget = Gauge.builder().name("elaswave_node_cpu_budget_cores")
      .help("Each local node's CPU budget in cores (an emulated accelerator).").labelNames("node")
      .register(registry);
  private String layoutShown;
  private Set<String> nodesShown = Set.of();

  public LiveMetrics() {
    JvmMetrics.builder().register(registry);
  }

  public PrometheusRegistry registry() {
    return registry;
  }

  private Gauge gauge(String name, String help) {
    return Gauge.builder().name(name).help(help).register(registry);
  }

  private Counter counter(String name, String help) {
    return Counter.builder().name(name).help(help).register(registry);
  }

  @Override public void started(String description, long committed, long last) {
    committedStep.set(committed);
    lastStep.set(last);
  }

  @Override public void step(StepResult r, long stepNanos, TrainingDriver driver) {
    double seconds = Math.max(stepNanos, 1) / 1e9;
    committedStep.set(r.step());
    steps.inc();
    loss.set(r.loss());
    tokens.inc(r.tokens());
    tokensPerSecond.set(r.tokens() / seconds);
    stepSeconds.observe(seconds);
    driver.phases().ifPresent(this::phases);
    driver.energyJoules().filter(j -> j > 0).ifPresent(energy::set);
    driver.lastCommit().ifPresent(this::commit);
    driver.nodeBudgets().forEach((node, cores) -> nodeBudget.labelValues(node).set(cores));
  }

  private void phases(DriverMessage.StepPhases p) {
    phaseSeconds.labelValues("kernel").set(p.kernel() / 1e3);
    phaseSeconds.labelValues("compute").set(p.compute() / 1e3);
    phaseSeconds.labelValues("reduce").set(p.reduce() / 1e3);
    phaseSeconds.labelValues("update").set(p.update() / 1e3);
    phaseSeconds.labelValues("gather").set(p.gather() / 1e3);
    phaseSeconds.labelValues("ledger").set(p.ledger() / 1e3);
    phaseSeconds.labelValues("gc").set(p.gc() / 1e3);
  }

  private void commit(DriverMessage.StepCommitted c) {
    stepBytes.set(c.bytes());
    stepMessages.set(c.messages());
    bytes.inc(c.bytes());
    messages.inc(c.messages());
    staleDropped.inc(c.staleDropped());
    stepSnapshotBytes.set(c.snapshotBytes());
    snapshotBytes.inc(c.snapshotBytes());
    LayoutName parsed = LayoutName.of(c.layout());
    epoch.set(parsed.epoch());
    String name = parsed.shape();
    if (!name.equals(layoutShown)) {
      if (layoutShown != null) {
        layout.remove(layoutShown);
      }
      layout.labelValues(name).set(1);
      layoutShown = name;
    }
    Map<String, Integer> ranks = new HashMap<>();
    Map<String, Double> clocks = new HashMap<>();
    for (DriverMessage.RankBusy b : c.busy()) {
      ranks.merge(b.node(), 1, Integer::sum);
      clocks.put(b.node(), b.clock());
    }
    Set<String> gone = new HashSet<>(nodesShown);
    gone.removeAll(ranks.keySet());
    gone.forEach(n -> {
      nodeRanks.remove(n);
      nodeClock.remove(n);
    });
    ranks.forEach((n, k) -> nodeRanks.labelValues(n).set(k));
    clocks.forEach((n, f) -> nodeClock.labelValues(n).set(f));
    nodesShown = Set.copyOf(ranks.keySet());
  }

  @Override public void event(RunEvent e) {
    if (e instanceof RunEvent.Recovered r) {
      replans.labelValues(r.cause()).inc();
      recoverySeconds.observe(r.mttrMillis() / 1e3);
      detectSeconds.observe(r.detectMillis() / 1e3);
    } else if (e instanceof RunEvent.Restarted r) {
      replans.labelValues("restart").inc();
      recoverySeconds.observe(r.mttrMillis() / 1e3);
    } else if (e instanceof RunEvent.Replanned r) {
      replans.labelValues(r.cause()).inc();
    } else if (e instanceof RunEvent.NodeJoined) {
      replans.labelValues("node-joined").inc();
    } else if (e instanceof RunEvent.FaultInjected f) {
      faults.labelValues(f.fault().substring(0, Math.max(0, f.fault().indexOf(':')))).inc();
    } else if (e instanceof RunEvent.Eval v) {
      validationLoss.set(v.valLoss());
    }
  }
}
