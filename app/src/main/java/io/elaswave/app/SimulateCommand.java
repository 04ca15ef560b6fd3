package io.elaswave.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.elaswave.app.report.SimReport;
import io.elaswave.planner.recovery.RecoveryPolicies;
import io.elaswave.sim.FailureModel;
import io.elaswave.sim.SlowdownModel;
import io.elaswave.sim.Hardware;
import io.elaswave.sim.ModelPreset;
import io.elaswave.sim.PlanTime;
import io.elaswave.sim.SimConfig;
import io.elaswave.sim.SimResult;
import io.elaswave.sim.Simulation;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code elaswave simulate}: a job of thousands of accelerators over simulated days under each
 * recovery policy asked for (the runtime's own planner code, called on every failure and
 * repair), with the same failures for every policy; writes JSON and, if asked, an HTML report.
 */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    description = "Simulate a training job at scale under node failures and repairs, for each recovery policy.",
    footer = {"", "Example (Llama 3 8B on 16 384 H100s for Llama 3's 54 days):",
        "  elaswave simulate --accelerators 16384 --dp 1024 --pp 16 --micro-batches 4096 --days 54 \\",
        "      --policy all --seed 1 --out s.json --report s.html",
        "", "Every figure is simulated from stated assumptions (sim/ and BENCHMARKS.md), not measured.",
        "Exit status: 0 done, 1 cannot write the output, 2 bad input."})
final class SimulateCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Option(names = "--accelerators", paramLabel = "N", required = true,
      description = "Accelerators, a multiple of the 8 of a node.")
  private int accelerators;

  @Option(names = "--model", paramLabel = "PRESET", description = "llama3-8b (default), llama3-70b or llama3-405b.")
  private String model = "llama3-8b";

  @Option(names = "--dp", paramLabel = "D", required = true, description = "Data-parallel replicas.")
  private int dp;

  @Option(names = "--pp", paramLabel = "P", required = true, description = "Pipeline stages (dp × pp = N).")
  private int pp;

  @Option(names = "--micro-batches", paramLabel = "G", description = "Micro-batches a step (default: 4 × dp).")
  private Integer microBatches;

  @Option(names = "--days", paramLabel = "D", description = "Simulated days (default: 54, Llama 3's run).")
  private double days = 54;

  @Option(names = "--policy", paramLabel = "NAME|all",
      description = "elaswave, torchft, recycle, restart, or all (default), on the same failures.")
  private String policy = "all";

  @Option(names = "--failure-rate", paramLabel = "X",
      description = "Failures per node-day (default: Llama 3's, 419 in 54 days on 2 048 nodes = 0.0038).")
  private Double failureRate;

  @Option(names = "--weibull-shape", paramLabel = "K",
      description = "Shape of the time to failure (default 1: exponential; < 1: early failures).")
  private double shape = 1;

  @Option(names = "--repair-hours", paramLabel = "H",
      description = "Mean hours until a failed node is back (default: 4, an assumption).")
  private double repairHours = FailureModel.LLAMA3.repairHours();

  @Option(names = "--slow-rate", paramLabel = "X",
      description = "Slow episodes per node-day (default: 0, none; any rate is an assumption).")
  private double slowRate = 0;

  @Option(names = "--slow-speed", paramLabel = "F",
      description = "A slow node's speed, a fraction of nominal in (0, 1] (default: 0.5).")
  private double slowSpeed = 0.5;

  @Option(names = "--slow-hours", paramLabel = "H", description = "Mean hours a slow episode lasts (default: 2).")
  private double slowHours = 2;

  @Option(names = "--seed", paramLabel = "S", description = "Seed of the failure draws (default: 1).")
  private long seed = 1;

  @Option(names = "--plan-time", paramLabel = "measured|SECONDS",
      description = "What a re-plan costs: the planner's wall time as it runs (default), or a fixed figure (the"
          + " result is then a function of the seed alone).")
  private String planTime = "measured";

  @Option(names = "--out", paramLabel = "FILE", required = true, description = "Write the results as JSON here.")
  private Path out;

  @Option(names = "--report", paramLabel = "FILE", description = "Also write an HTML report with the ETTR chart.")
  private Path report;

  @Override public Integer call() {
    List<String> policies = policy.equals("all") ? RecoveryPolicies.NAMES : List.of(policy);
    if (!policy.equals("all") && !RecoveryPolicies.NAMES.contains(policy)) {
      throw new InputException("--policy takes " + String.join(", ", RecoveryPolicies.NAMES) + " or all, got '"
          + policy + "'");
    }
    List<SimConfig> configs = new ArrayList<>();
    try {
      ModelPreset preset = ModelPreset.named(model);
      FailureModel failures = new FailureModel(failureRate == null ? FailureModel.LLAMA3.failuresPerNodeDay()
          : failureRate, shape, repairHours);
      SlowdownModel slowdowns = new SlowdownModel(slowRate, slowSpeed, slowHours);
      PlanTime plans = planTime.equals("measured") ? new PlanTime.Measured()
          : new PlanTime.Fixed(Double.parseDouble(planTime));
      for (String p : policies) {
        configs.add(new SimConfig(preset, Hardware.H100, failures, slowdowns, accelerators, dp, pp,
            microBatches == null ? 4 * dp : microBatches, days, p, seed, plans));
      }
    } catch (NumberFormatException e) {
      throw new InputException("--plan-time takes measured or seconds, got '" + planTime + "'");
    } catch (IllegalArgumentException e) {
      throw new InputException(e.getMessage());
    }
    checkWritable(out, "--out");
    if (report != null) {
      checkWritable(report, "--report");
    }
    PrintWriter err = spec.commandLine().getErr();
    List<SimResult> results = new ArrayList<>();
    for (SimConfig c : configs) {
      ProgressBar bar = new ProgressBar(err, c.policy());
      results.add(new Simulation(c).run(bar::show));
      bar.done();
    }
    write(configs.get(0), results);
    PrintWriter o = spec.commandLine().getOut();
    o.println(table(results));
    o.println("wrote " + out + (report == null ? "" : " and " + report) + " (simulated figures, not measurements)");
    return Main.EXIT_OK;
  }

  private static void checkWritable(Path file, String flag) {
    Path dir = file.toAbsolutePath().getParent();
    if (dir == null || !Files.isDirectory(dir) || Files.isDirectory(file)) {
      throw new InputException(flag + " " + file + ": no such directory, or it is one");
    }
  }

  private void write(SimConfig c, List<SimResult> results) {
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root = json.createObjectNode();
    root.put("simulated", true);
    root.put("assumptions", assumptions(c));
    root.set("hardware", json.valueToTree(c.hardware()));
    root.set("failures", json.valueToTree(c.failures()));
    root.set("slowdowns", json.valueToTree(c.slowdowns()));
    root.set("results", json.valueToTree(results));
    try {
      Files.writeString(out, json.writeValueAsString(root) + "\n");
      if (report != null) {
        Files.writeString(report, SimReport.html(results, assumptions(c)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + out + ": " + e.getMessage(), e);
    }
  }

  static String assumptions(SimConfig c) {
    Hardware h = c.hardware();
    return String.format(Locale.ROOT, "Assumed: %d accelerators a node at %.0f TFLOP/s effective, %.0f GB/s a node,"
        + " a node failure every %.0f node-days (Weibull shape %.2f), repaired in %.1f h on average, death seen in"
        + " %.0f ms, communicators re-wired in %.2f s, a restart %.0f s, a checkpoint every %d steps costing %.0f s;"
        + " a block's forward and backward 6 FLOPs per parameter and token.", h.acceleratorsPerNode(), h.flops() / 1e12,
        h.nodeBandwidth() / 1e9, 1 / c.failures().failuresPerNodeDay(), c.failures().shape(),
        c.failures().repairHours(), h.detectSeconds() * 1e3, h.reconfigureSeconds(), h.restartSeconds(),
        h.checkpointEvery(), h.checkpointSeconds()) + (c.slowdowns().any() ? String.format(Locale.ROOT,
        " A node turns slow (%.2f of its speed) every %.0f node-days, for %.1f h on average.", c.slowdowns().speed(),
        1 / c.slowdowns().perNodeDay(), c.slowdowns().meanHours()) : "");
  }

  static String table(List<SimResult> results) {
    StringBuilder t = new StringBuilder(String.format(Locale.ROOT, "%-9s %7s %8s %9s %9s %9s %11s %10s %8s %11s %s%n",
        "policy", "ETTR", "failures", "MTTR p50", "MTTR p99", "redone", "short-batch", "degraded", "down",
        "plan p50/99", "slow/re-planned"));
    for (SimResult r : results) {
      t.append(String.format(Locale.ROOT, "%-9s %7.4f %8d %8.2fs %8.2fs %9.1f %11d %9.1fh %7.1fh %5.0f/%.0fms %d/%d%n",
          r.policy(), r.ettr(), r.failures(), r.mttr().p50(), r.mttr().p99(), r.stepsRedone(), r.shortBatchSteps(),
          r.degradedSeconds() / 3600, r.downSeconds() / 3600, r.plannerMillis().p50(), r.plannerMillis().p99(),
          r.slowdowns(), r.speedReplans()));
    }
    return t.toString().stripTrailing();
  }

  /** A bar on stderr, redrawn in place as simulated days go by. */
  private static final class ProgressBar {
    private final PrintWriter err;
    private final String name;
    private int shown = -1;

    ProgressBar(PrintWriter err, String name) {
      this.err = err;
      this.name = name;
    }

    void show(double fraction) {
      int percent = (int) Math.round(100 * fraction);
      if (percent != shown) {
        shown = percent;
        int filled = percent / 4;
        err.print("\r" + String.format(Locale.ROOT, "%-9s [%s%s] %3d%%", name, "#".repeat(filled),
            " ".repeat(25 - filled), percent));
        err.flush();
      }
    }

    void done() {
      show(1);
      err.println();
      err.flush();
    }
  }
}
