package io.elaswave.app;

import io.elaswave.app.launch.NodeBudgets;
import io.elaswave.engine.data.Corpus;
import io.elaswave.engine.train.Checkpoint;
import io.elaswave.engine.train.TrainConfig;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code elaswave train}: validates every input (flags, preset, resume checkpoint) before it
 * opens any output, then hands a driver and a plan to the {@link TrainingLoop}.
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    description = "Train a character-level transformer on the bundled tiny-shakespeare corpus.",
    footer = {
        "",
        "Progress and the final summary go to stdout; errors go to stderr.",
        "--metrics writes JSON Lines: one object per committed step",
        "  {\"step\",\"loss\",\"digest\",\"lr\",\"gradNorm\",\"stepMillis\",\"tokensPerSec\"}",
        "and events {\"event\":\"eval\"|\"checkpoint\"|\"resume\"|\"done\",...,\"atMillis\"}. A fresh run",
        "truncates the file; a resumed run appends to it, after a \"resume\" event.",
        "When resuming, the config comes from the checkpoint: --model, --micro-batches,",
        "--micro-batch-size, --seed and --lr may only repeat the checkpoint's values.",
        "",
        "Without --reference the job runs on the actor runtime: --dp replicas of --pp stages,",
        "ZeRO-1 optimizer shards, in this JVM or on --nodes JVMs; every step's digest equals",
        "the reference trainer's. Step objects then also carry \"layout\" (e.g. dp2xpp2@epoch1).",
        "--node-cpus adds a \"cpus\" field to the \"node-started\" events; step times under budgets are",
        "those of emulated accelerators (each node a fixed share of this machine's cores).",
        "Faults (--fault, --kill) add \"fault-injected\", \"node-killed\", \"node-thawed\", \"node-healed\"",
        "and \"recovered\" (with its",
        "\"cause\", detectMillis, mttrMillis, redoneMillis) events; a job the layout cannot run, or a",
        "fault aimed at a node, rank or step the job does not have, is refused before anything starts.",
        "",
        "Exit status: 0 done, 1 failed while running (e.g. cannot write a file),",
        "2 bad input (flag, value, or unreadable checkpoint; nothing was written)."})
final class TrainCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Option(names = "--reference", description = "Use the single-threaded reference trainer instead of the runtime.")
  private boolean reference;

  @Option(names = "--dp", paramLabel = "D", description = "Data-parallel replicas (runtime; default: 1).")
  private Integer dp;

  @Option(names = "--pp", paramLabel = "P", description = "Pipeline stages per replica (runtime; default: 1).")
  private Integer pp;

  @Option(names = "--nodes", paramLabel = "N",
      description = "Node JVMs: 1 (default) runs every rank in this JVM; N > 1 starts N JVMs on loopback.")
  private Integer nodes;

  @Option(names = "--ranks-per-node", paramLabel = "K",
      description = "Ranks each node may host (default: dp*pp spread evenly over the nodes).")
  private Integer ranksPerNode;

  @Option(names = "--cluster", paramLabel = "HOST:PORT",
      description = "Drive the job on an existing cluster (nodes started with 'elaswave node') through this seed.")
  private String join;

  @Option(names = "--join", paramLabel = "@STEP",
      description = "Start one more node JVM when step STEP is due; it joins at the next step boundary. Repeatable.")
  private List<String> joinAt = new ArrayList<>();

  @Option(names = "--fault", paramLabel = "KIND:TARGET@STEP",
      description = "Inject a fault during step STEP; repeatable. kill:node-2@8 SIGKILLs a node JVM,"
          + " freeze:node-2[+S]@8 SIGSTOPs it (SIGCONT after S s), partition:node-2[+S]@8 cuts its link"
          + " (healed after S s; root: nodes in network namespaces), slow:node-2=0.13@8 sets its CPU budget to"
          + " 0.13 cores (with --node-cpus) (these need --nodes);"
          + " error:r1@5 makes rank r1 throw, hang:r2@5 makes it stop answering (any mode).")
  private List<String> fault = new ArrayList<>();

  @Option(names = "--kill", paramLabel = "NODE@STEP",
      description = "Shorthand for --fault kill:NODE@STEP: SIGKILL node NODE (node-2, or 2) while step STEP runs;"
          + " repeatable. Needs --nodes.")
  private List<String> kill = new ArrayList<>();

  @Option(names = "--netns",
      description = "Run the --nodes JVMs in network namespaces on a private bridge (root; on by itself for"
          + " a partition fault).")
  private boolean netns;

  @Option(names = "--node-cpus", paramLabel = "X|NODE=X",
      description = "Give every --nodes JVM a CPU budget of X cores (e.g. 0.4), or one node (node-2=0.2); repeatable."
          + " Each node runs in its own control group, an emulated accelerator of fixed speed (root).")
  private List<String> nodeCpus = new ArrayList<>();

  @Option(names = "--rank-memory", paramLabel = "BYTES",
      description = "Memory one rank may hold (parameters, gradients, optimizer share, activations in flight),"
          + " e.g. 256m or 2g; every plan must fit it, and a job none fits is refused (default: 0.3 of the node"
          + " heap over its ranks).")
  private String rankMemory;

  @Option(names = "--tls", paramLabel = "DIR|auto",
      description = "Run Artery over mutual TLS with the cluster certificates in DIR (elaswave certs; each process uses"
          + " DIR/NAME.p12, this driver DIR/driver.p12), or, for local --nodes, auto: a throwaway CA for this run.")
  private String tls;

  @Option(names = "--node-heap", paramLabel = "BYTES",
      description = "Heap of each local node JVM (e.g. 4g; default: enough for the job's largest stage, at least 1g).")
  private String nodeHeap;

  @Option(names = "--policy", paramLabel = "NAME",
      description = "Recovery policy: elaswave (default: re-plan live, batch kept), or a baseline to compare"
          + " with: torchft (a hit replica stops, the batch shrinks), recycle (a peer's node runs the lost"
          + " stage), restart (stop, restart from the last checkpoint; use --checkpoint-every).")
  private String policy;

  @Option(names = "--migration", paramLabel = "MODE",
      description = "How a loss re-partitions a pipeline: background (default: resume with the plan that moves the"
          + " least state, migrate to the balanced plan while steps run) or blocking (the balanced plan first).")
  private String migration;

  @Option(names = "--frequency", paramLabel = "MODE",
      description = "Clock governor: off (default), energy (slow the stages that wait for the bottleneck, step"
          + " time kept within 2%%) or power-cap=W (total modelled power within W watts, clock moved to the"
          + " bottleneck). Nodes with CPU budgets (--node-cpus) have emulated clocks; the joules are modelled.")
  private String frequency;

  @Option(names = "--journal", paramLabel = "JDBC-URL",
      description = "Journal of the job ledger for --nodes runs (default: an H2 server in this process),"
          + " e.g. jdbc:postgresql://127.0.0.1:5432/elaswave?user=u&password=p.")
  private String journal;

  @Option(names = "--host", paramLabel = "HOST",
      description = "The address this driver advertises with --cluster (default: 127.0.0.1).")
  private String host;

  @Option(names = "--model", paramLabel = "NAME", description = "Model preset: tiny, small or base (default: small).")
  private String model;

  @Option(names = "--steps", paramLabel = "N",
      description = "Stop after step N (default: the preset's 300). The lr schedule keeps the preset's horizon.")
  private Integer steps;

  @Option(names = "--micro-batches", paramLabel = "G", description = "Micro-batches per step (default: 4).")
  private Integer microBatches;

  @Option(names = "--micro-batch-size", paramLabel = "B",
      description = "Sequences per micro-batch (default: 4 for tiny, 8 otherwise).")
  private Integer microBatchSize;

  @Option(names = "--seed", paramLabel = "S", description = "Seed of initialisation, data and dropout (default: 1337).")
  private Long seed;

  @Option(names = "--lr", paramLabel = "X",
      description = "Peak learning rate (default: 1e-3 for base, 3e-3 otherwise); it decays to X/10.")
  private Float lr;

  @Option(names = "--eval-every", paramLabel = "K",
      description = "Evaluate validation loss every K steps; 0 (default) only at the end.")
  private Integer evalEvery;

  @Option(names = "--sample", paramLabel = "N", defaultValue = "240",
      description = "Print N characters the trained model writes, under the summary; 0 for none (default: ${DEFAULT-VALUE}).")
  private int sample;

  @Option(names = "--metrics", paramLabel = "FILE", description = "Write per-step metrics as JSON Lines to FILE.")
  private Path metrics;

  @Option(names = "--http-port", paramLabel = "P",
      description = "Serve /metrics (Prometheus) and /status (JSON) from this driver on port P; local --nodes JVMs"
          + " serve Pekko Management (/cluster/members, /ready, /alive) on P+1+i for node-i.")
  private Integer httpPort;

  @Option(names = "--checkpoint-dir", paramLabel = "DIR",
      description = "Write checkpoints to DIR/step-NNNNNN (DIR/latest names the newest), at least after the last step.")
  private Path checkpointDir;

  @Option(names = "--checkpoint-every", paramLabel = "K",
      description = "Also checkpoint after every K-th step (0: only after the last); needs --checkpoint-dir.")
  private Integer checkpointEvery;

  @Option(names = "--resume", paramLabel = "DIR",
      description = "Continue from a checkpoint: a step-NNNNNN directory, or a checkpoint dir with a 'latest' file.")
  private Path resume;

  @Override
  public Integer call() {
    RuntimeOptions runtime = reference ? referenceOnly() : runtimeOptions();
    if (checkpointEvery != null && checkpointDir == null) {
      throw flagError("--checkpoint-every needs --checkpoint-dir");
    }
    if (checkpointEvery != null && checkpointEvery < 0) {
      throw flagError("--checkpoint-every must be >= 0");
    }
    if (sample < 0 || sample > 100_000) {
      throw flagError("--sample must be in [0, 100000]");
    }
    if (checkpointDir != null && Files.exists(checkpointDir) && !Files.isDirectory(checkpointDir)) {
      throw flagError("--checkpoint-dir " + checkpointDir + " exists and is not a directory");
    }
    ConfigOverrides flags = new ConfigOverrides(model, steps, microBatches, microBatchSize, seed, lr, evalEvery);
    Checkpoint from = resume == null ? null : CheckpointInput.read(resume, "--resume");
    TrainConfig config;
    try {
      config = from == null ? flags.fresh() : flags.resumed(from.config(), from.state().step());
    } catch (IllegalArgumentException e) {
      throw flagError(e.getMessage());
    }
    Corpus corpus = Corpus.tinyShakespeare();
    io.elaswave.app.tls.ThrowawayCa throwawayCa = null; // of --tls auto: removed when the run ends
    if (runtime != null) {
      runtime = RankMemory.withNodeHeap(nodeHeap, runtime, config, corpus.vocab().size());
      if (tls != null) {
        RunTls secured = RunTls.of(runtime, tls);
        runtime = secured.runtime();
        throwawayCa = secured.ca();
      }
      JobCheck.check(runtime, config, corpus.vocab().size()); // before any node JVM or output file
    }
    if (httpPort != null) {
      runtime = Watching.check(httpPort, runtime);
    }
    TrainingLoop.Plan plan = new TrainingLoop.Plan(config.steps(), config.evalEvery(), checkpointDir,
        checkpointEvery == null ? 0 : checkpointEvery);
    PrintWriter out = spec.commandLine().getOut();
    if (runtime != null && !runtime.frequency().equals("off") && runtime.local() && runtime.budgets().isEmpty()) {
      spec.commandLine().getErr().println("elaswave: note: --frequency " + runtime.frequency() + " without --node-cpus:"
          + " local nodes have no governor (clock fixed), so the clocks stay at 1");
    }
    if (from != null) {
      ReferenceDriver.checkResumable(corpus, from, resume);
    }
    try (io.elaswave.app.tls.ThrowawayCa ca = throwawayCa;
        Watching watching = httpPort == null ? Watching.NONE : Watching.serve(httpPort, runtime);
        TrainingDriver driver = runtime != null
            ? RuntimeDriver.start(runtime, config, from == null ? null : resume, corpus, out)
            : from == null ? ReferenceDriver.fresh(config, corpus) : ReferenceDriver.resume(config, corpus, from, resume);
        MetricsWriter metricsOut = metrics == null ? MetricsWriter.none() : MetricsWriter.open(metrics, from != null)) {
      ProgressReporter progress = new ProgressReporter(out, System::nanoTime, driver.committedSteps(), plan.lastStep());
      progress.start(driver.description());
      if (from != null) {
        metricsOut.resume(driver.committedSteps(), resume);
        progress.resumed(driver.committedSteps(), resume);
      }
      watching.board().members(driver::members);
      new TrainingLoop(driver, plan, metricsOut, progress, System::nanoTime, watching.watch()).run();
      if (sample > 0) {
        printSample(out, driver, config, corpus);
      }
    }
    return Main.EXIT_OK;
  }

  /** What the committed model writes after a new line, at temperature 0.8, seeded by the run's seed. */
  private void printSample(PrintWriter out, TrainingDriver driver, TrainConfig config, Corpus corpus) {
    var model = new io.elaswave.engine.model.Model(config.modelConfig(corpus.vocab().size()));
    String text = new io.elaswave.engine.train.TextSampler(model, driver.committedState().params(), corpus.vocab())
        .generate("\n", sample, 0.8f, config.seed());
    out.println("  sample (" + sample + " characters, temperature 0.8):");
    for (String line : text.strip().split("\n")) {
      out.println("    " + line);
    }
    out.flush();
  }

  /** The reference trainer takes no runtime flags: a stray one is a mistake worth naming. */
  private RuntimeOptions referenceOnly() {
    String[][] flags = {{"--dp", s(dp)}, {"--pp", s(pp)}, {"--nodes", s(nodes)}, {"--ranks-per-node", s(ranksPerNode)},
        {"--cluster", join}, {"--host", host}, {"--kill", kill.isEmpty() ? null : "x"}, {"--fault", fault.isEmpty() ? null : "x"},
        {"--join", joinAt.isEmpty() ? null : "x"}, {"--journal", journal},
        {"--netns", netns ? "x" : null}, {"--node-cpus", nodeCpus.isEmpty() ? null : "x"},
        {"--rank-memory", rankMemory}, {"--policy", policy}, {"--frequency", frequency},
        {"--migration", migration}, {"--node-heap", nodeHeap}, {"--tls", tls}};
    // --http-port serves the reference trainer's /metrics and /status too
    for (String[] f : flags) {
      if (f[1] != null) {
        throw flagError(f[0] + " applies to the runtime, not to --reference");
      }
    }
    return null;
  }

  private RuntimeOptions runtimeOptions() {
    if (join != null && nodes != null) {
      throw flagError("--nodes starts local node JVMs; with --cluster the nodes already run");
    }
    RuntimeOptions.Builder b = RuntimeOptions.builder(dp == null ? 1 : dp, pp == null ? 1 : pp)
        .nodes(nodes == null ? 1 : nodes).journal(journal).netns(netns);
    if (ranksPerNode != null) {
      b.ranksPerNode(ranksPerNode);
    }
    if (join != null) {
      b.cluster(join, host == null ? "127.0.0.1" : host);
    }
    b.faults(FaultFlags.script(kill, fault));
    if (rankMemory != null) {
      b.rankMemory(RankMemory.parse(rankMemory));
    }
    if (policy != null) {
      b.policy(policy);
    }
    if (frequency != null) {
      b.frequency(frequency);
    }
    if (migration != null && !migration.equals("background") && !migration.equals("blocking")) {
      throw flagError("--migration takes background or blocking, got '" + migration + "'");
    } else if (migration != null && join != null) {
      throw flagError("--migration applies to local --nodes; set elaswave.migration in the cluster nodes' config");
    } else if (migration != null) {
      b.nodeJvmOptions(List.of("-Delaswave.migration=" + migration));
    }
    try {
      b.budgets(NodeBudgets.parse(nodeCpus, "--node-cpus", Runtime.getRuntime().availableProcessors()));
    } catch (IllegalArgumentException e) {
      throw new InputException(e.getMessage());
    }
    try {
      for (String j : joinAt) {
        if (!j.matches("@\\d+")) {
          throw new IllegalArgumentException("--join takes @STEP, got '" + j + "'");
        }
        b.joinAt(Long.parseLong(j.substring(1)));
      }
      return b.build();
    } catch (IllegalArgumentException e) {
      throw flagError(e.getMessage());
    }
  }

  private static String s(Object o) {
    return o == null ? null : o.toString();
  }

  private ParameterException flagError(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
