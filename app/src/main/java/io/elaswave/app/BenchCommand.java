package io.elaswave.app;

import io.elaswave.engine.data.Corpus;
import io.elaswave.engine.model.Model;
import io.elaswave.engine.train.TrainConfig;
import java.io.IOException;
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
 * {@code elaswave bench runtime}: the same job on the reference trainer and on the runtime
 * (1×1, dp=2, pp=2, dp2×pp2, all in this JVM), back to back in one process, so the figures are
 * ratios measured in one run. Each phase warms up, times its steps, checks that its digest equals
 * the reference's, and reports tokens/s and the rank-to-rank bytes and messages per step against
 * the analytical minimum of ZeRO-1 reduce-scatter + all-gather plus pipeline activations.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = "Measure the runtime against the reference trainer; writes JSON.",
    subcommands = {BenchCommand.Runtime.class, ElasticBench.class, SlowBench.class, PolicyBench.class, TlsBench.class,
        FrequencyBench.class})
final class BenchCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Override public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return Main.EXIT_USAGE;
  }

  @Command(name = "runtime", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
      description = "Reference vs runtime 1x1, dp=2, pp=2 and dp2xpp2 on one machine; tokens/s, bytes, messages.")
  static final class Runtime implements Callable<Integer> {
    @Spec private CommandSpec spec;

    @Option(names = "--model", paramLabel = "NAME", description = "Model preset (default: small).")
    private String model = "small";

    @Option(names = "--steps", paramLabel = "N", description = "Timed steps per phase (default: 10).")
    private int steps = 10;

    @Option(names = "--warmup", paramLabel = "W", description = "Untimed steps first, for the JIT (default: 4).")
    private int warmup = 4;

    @Option(names = "--out", paramLabel = "FILE", description = "JSON results (default: bench/results/runtime.json).")
    private Path out = Path.of("bench", "results", "runtime.json");

    private record Phase(String name, int dp, int pp) {}

    private record Measured(String name, double tokensPerSec, double bytesPerStep, double messagesPerStep,
        double minBytesPerStep, String digest) {}

    @Override public Integer call() {
      if (steps < 1 || warmup < 0) {
        throw new InputException("--steps must be >= 1 and --warmup >= 0");
      }
      PrintWriter term = spec.commandLine().getOut();
      Corpus corpus = Corpus.tinyShakespeare();
      TrainConfig config = TrainConfig.defaults(model).withSteps(warmup + steps);
      Model m = new Model(config.modelConfig(corpus.vocab().size()));
      // one unrecorded phase first: the Vector API kernels run interpreted until C2 compiles them,
      // and whichever phase came first would otherwise pay for it
      measure(new Phase("jit warm-up", 2, 1), config, corpus, m, term);
      List<Measured> results = new ArrayList<>();
      for (Phase p : List.of(new Phase("reference", 0, 0), new Phase("runtime 1x1", 1, 1),
          new Phase("runtime dp2", 2, 1), new Phase("runtime pp2", 1, 2), new Phase("runtime dp2xpp2", 2, 2))) {
        results.add(measure(p, config, corpus, m, term));
      }
      String ref = results.get(0).digest();
      for (Measured r : results) {
        if (!r.digest().equals(ref)) {
          throw new IllegalStateException(r.name() + " ended with digest " + r.digest() + ", the reference with " + ref);
        }
      }
      write(results, config, m, term);
      return Main.EXIT_OK;
    }

    private Measured measure(Phase p, TrainConfig config, Corpus corpus, Model m, PrintWriter term) {
      boolean reference = p.dp() == 0;
      try (TrainingDriver driver = reference ? ReferenceDriver.fresh(config, corpus)
          : RuntimeDriver.start(RuntimeOptions.builder(p.dp(), p.pp()).ranksPerNode(p.dp() * p.pp()).build(), config,
              null, corpus, term)) {
        for (int i = 0; i < warmup; i++) {
          driver.step();
        }
        long tokens = 0;
        long bytes = 0;
        long messages = 0;
        long t0 = System.nanoTime();
        for (int i = 0; i < steps; i++) {
          tokens += driver.step().tokens();
          var commit = driver.lastCommit(); // the runtime's: rank-to-rank tensor traffic of the step
          bytes += commit.map(c -> c.bytes()).orElse(0L);
          messages += commit.map(c -> c.messages()).orElse(0L);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double min = reference ? 0 : minimumBytes(p, config, m);
        Measured r = new Measured(p.name(), tokens / seconds, (double) bytes / steps, (double) messages / steps, min,
            io.elaswave.engine.param.Digest.hex(driver.digest()));
        term.printf(Locale.ROOT, "%-16s %9.0f tok/s  %12.0f B/step (min %12.0f)  %6.0f msg/step%n", r.name(),
            r.tokensPerSec(), r.bytesPerStep(), r.minBytesPerStep(), r.messagesPerStep());
        term.flush();
        return r;
      }
    }

    /** ZeRO-1: every block crosses once to its owner and once back per other replica; plus activations. */
    static double minimumBytes(Phase p, TrainConfig config, Model m) {
      double params = m.paramCount();
      double activation = (double) config.microBatchSize() * m.config().seqLen() * m.config().dim();
      return 8.0 * (p.dp() - 1) * params + 8.0 * (p.pp() - 1) * config.microBatches() * activation;
    }

    private void write(List<Measured> results, TrainConfig config, Model m, PrintWriter term) {
      double ref = results.get(0).tokensPerSec();
      StringBuilder json = new StringBuilder("{\n");
      json.append(String.format(Locale.ROOT, "  \"model\": \"%s\", \"params\": %d, \"tokensPerStep\": %d,"
          + " \"timedSteps\": %d, \"warmupSteps\": %d, \"cores\": %d,%n", config.model(), m.paramCount(),
          config.tokensPerStep(m.config().seqLen()), steps, warmup, java.lang.Runtime.getRuntime().availableProcessors()));
      json.append("  \"phases\": [\n");
      for (int i = 0; i < results.size(); i++) {
        Measured r = results.get(i);
        json.append(String.format(Locale.ROOT, "    {\"name\": \"%s\", \"tokensPerSec\": %.1f, \"vsReference\": %.3f,"
                + " \"bytesPerStep\": %.0f, \"minBytesPerStep\": %.0f, \"bytesVsMinimum\": %s, \"messagesPerStep\": %.1f,"
                + " \"digest\": \"%s\"}%s%n", r.name(), r.tokensPerSec(), r.tokensPerSec() / ref, r.bytesPerStep(),
            r.minBytesPerStep(), r.minBytesPerStep() > 0 ? String.format(Locale.ROOT, "%.3f",
                r.bytesPerStep() / r.minBytesPerStep()) : "null", r.messagesPerStep(), r.digest(),
            i + 1 < results.size() ? "," : ""));
      }
      json.append("  ]\n}\n");
      BenchOutput.write(out, json, term);
    }
  }
}
