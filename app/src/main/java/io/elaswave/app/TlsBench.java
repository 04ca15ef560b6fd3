package io.elaswave.app;

import io.elaswave.app.tls.ThrowawayCa;
import io.elaswave.engine.data.Corpus;
import io.elaswave.engine.param.Digest;
import io.elaswave.engine.train.TrainConfig;
import java.io.PrintWriter;
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
 * {@code bench tls}: what mutual TLS costs a step. The same job on local node JVMs over plain TCP
 * and over TLS, alternated round by round (plain, TLS, plain, …) so both see the same machine;
 * per round the median step, then the median over rounds and their ratio. Both must end on the
 * same digest: TLS changes time, never bits.
 */
@Command(name = "tls", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = "Step time over plain TCP vs mutual TLS, alternated over rounds on local node JVMs; JSON out.")
final class TlsBench implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Option(names = "--model", paramLabel = "NAME", description = "Model preset (default: small).")
  private String model = "small";

  @Option(names = "--nodes", paramLabel = "N", description = "Node JVMs (default: 2).")
  private int nodes = 2;

  @Option(names = "--dp", paramLabel = "D", description = "Data-parallel replicas (default: 2).")
  private int dp = 2;

  @Option(names = "--pp", paramLabel = "P", description = "Pipeline stages (default: 1).")
  private int pp = 1;

  @Option(names = "--steps", paramLabel = "N", description = "Timed steps per run (default: 8).")
  private int steps = 8;

  @Option(names = "--warmup", paramLabel = "W", description = "Untimed steps first in each run (default: 3).")
  private int warmup = 3;

  @Option(names = "--rounds", paramLabel = "R", description = "Plain/TLS pairs (default: 3).")
  private int rounds = 3;

  @Option(names = "--out", paramLabel = "FILE", description = "JSON results (default: bench/results/tls.json).")
  private Path out = Path.of("bench", "results", "tls.json");

  private record Run(boolean tls, double medianStepMs, double bytesPerStep, String digest) {}

  @Override public Integer call() {
    if (steps < 1 || warmup < 0 || rounds < 1 || nodes < 2) {
      throw new InputException("--steps and --rounds must be >= 1, --warmup >= 0, --nodes >= 2");
    }
    PrintWriter term = spec.commandLine().getOut();
    Corpus corpus = Corpus.tinyShakespeare();
    TrainConfig config = TrainConfig.defaults(model).withSteps(warmup + steps);
    RuntimeOptions plain = RuntimeOptions.builder(dp, pp).nodes(nodes).build();
    JobCheck.check(plain, config, corpus.vocab().size());
    List<String> names = new ArrayList<>(List.of("driver"));
    for (int i = 0; i < nodes; i++) {
      names.add("node-" + i);
    }
    List<Run> runs = new ArrayList<>();
    try (ThrowawayCa ca = ThrowawayCa.create(names)) {
      for (int r = 0; r < rounds; r++) {
        runs.add(run(plain, false, config, corpus, term));
        runs.add(run(plain.withTls(ca.dir()), true, config, corpus, term));
      }
    }
    String digest = runs.get(0).digest();
    for (Run r : runs) {
      if (!r.digest().equals(digest)) {
        throw new IllegalStateException("a " + (r.tls() ? "TLS" : "plain") + " run ended on " + r.digest()
            + ", the first on " + digest);
      }
    }
    double plainMs = PolicyTable.median(runs.stream().filter(r -> !r.tls()).mapToDouble(Run::medianStepMs).toArray());
    double tlsMs = PolicyTable.median(runs.stream().filter(Run::tls).mapToDouble(Run::medianStepMs).toArray());
    term.printf(Locale.ROOT, "median step: plain %.1f ms, TLS %.1f ms: TLS costs %+.1f %%%n", plainMs, tlsMs,
        100 * (tlsMs / plainMs - 1));
    StringBuilder json = new StringBuilder("{\n");
    json.append(String.format(Locale.ROOT, "  \"model\": \"%s\", \"nodes\": %d, \"dp\": %d, \"pp\": %d,"
        + " \"timedSteps\": %d, \"warmupSteps\": %d, \"rounds\": %d, \"cores\": %d,%n", model, nodes, dp, pp, steps,
        warmup, rounds, java.lang.Runtime.getRuntime().availableProcessors()));
    json.append(String.format(Locale.ROOT, "  \"plainStepMs\": %.2f, \"tlsStepMs\": %.2f, \"tlsOverhead\": %.4f,"
        + " \"digest\": \"%s\",%n  \"runs\": [%n", plainMs, tlsMs, tlsMs / plainMs - 1, digest));
    for (int i = 0; i < runs.size(); i++) {
      Run r = runs.get(i);
      json.append(String.format(Locale.ROOT, "    {\"tls\": %s, \"medianStepMs\": %.2f, \"bytesPerStep\": %.0f}%s%n",
          r.tls(), r.medianStepMs(), r.bytesPerStep(), i + 1 < runs.size() ? "," : ""));
    }
    json.append("  ]\n}\n");
    BenchOutput.write(out, json, term);
    return Main.EXIT_OK;
  }

  private Run run(RuntimeOptions options, boolean tls, TrainConfig config, Corpus corpus, PrintWriter term) {
    try (RuntimeDriver driver = RuntimeDriver.start(options, config, null, corpus, term)) {
      for (int i = 0; i < warmup; i++) {
        driver.step();
      }
      double[] ms = new double[steps];
      long bytes = 0;
      for (int i = 0; i < steps; i++) {
        long t0 = System.nanoTime();
        driver.step();
        ms[i] = (System.nanoTime() - t0) / 1e6;
        bytes += driver.lastCommit().map(c -> c.bytes()).orElse(0L);
      }
      Run r = new Run(tls, PolicyTable.median(ms), (double) bytes / steps, Digest.hex(driver.digest()));
      term.printf(Locale.ROOT, "%-5s median step %.1f ms%n", tls ? "TLS" : "plain", r.medianStepMs());
      term.flush();
      return r;
    }
  }
}
