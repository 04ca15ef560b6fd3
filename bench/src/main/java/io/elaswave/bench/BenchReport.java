package io.elaswave.bench;

import io.elaswave.engine.model.ModelConfig;
import io.elaswave.engine.train.TrainConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs a benchmark class through JMH and writes its figures as JSON.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar io.elaswave.bench.BenchReport matmul OUT.json [JMH options]
 * java -cp bench/target/benchmarks.jar io.elaswave.bench.BenchReport train  OUT.json [JMH options]
 * </pre>
 *
 * {@code matmul} runs {@link MatmulBench} and reports GFLOP/s per benchmark and shape
 * (score × flops per call); {@code train} runs {@link TrainStepBench} and reports ms/step and
 * tokens/s. JMH options (e.g. {@code -wi 3 -i 5 -f 1 -w 1s -r 1s}, {@code -p shape=fc}) override
 * the annotations; a benchmark regexp replaces the default include.
 */
public final class BenchReport {
  private BenchReport() {}

  public static void main(String[] args) throws IOException, RunnerException {
    if (args.length < 2 || !(args[0].equals("matmul") || args[0].equals("train"))) {
      System.err.println("usage: BenchReport matmul|train OUT.json [JMH options]");
      System.exit(2);
    }
    boolean matmul = args[0].equals("matmul");
    Path out = Path.of(args[1]);
    CommandLineOptions cli;
    try {
      cli = new CommandLineOptions(Arrays.copyOfRange(args, 2, args.length));
    } catch (CommandLineOptionException e) {
      System.err.println("bad JMH options: " + e.getMessage());
      System.exit(2);
      return;
    }
    OptionsBuilder builder = new OptionsBuilder();
    builder.parent(cli);
    if (cli.getIncludes().isEmpty()) {
      builder.include((matmul ? MatmulBench.class : TrainStepBench.class).getName() + "\\.");
    }
    Options options = builder.build();
    Instant started = Instant.now();
    Collection<RunResult> results = new Runner(options).run();
    String json = matmul ? matmulJson(results, started) : trainJson(results, started);
    Path parent = out.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(out, json, StandardCharsets.UTF_8);
    System.out.println("wrote " + out);
  }

  private static String matmulJson(Collection<RunResult> results, Instant started) {
    List<String> rows = new ArrayList<>();
    for (RunResult r : results) {
      String bench = method(r);
      MatmulShape shape;
      double flops;
      switch (bench) {
        case "gemm" -> {
          shape = MatmulShape.valueOf(r.getParams().getParam("shape"));
          flops = shape.flops();
        }
        case "gemmInPlace" -> {
          shape = MatmulShape.valueOf(r.getParams().getParam("inPlaceShape"));
          flops = shape.flops();
        }
        case "reference" -> {
          shape = MatmulShape.valueOf(r.getParams().getParam("refShape"));
          flops = shape.flops();
        }
        case "linearForward" -> {
          shape = MatmulShape.valueOf(r.getParams().getParam("layer"));
          flops = shape.flops();
        }
        case "linearBackward" -> {
          shape = MatmulShape.valueOf(r.getParams().getParam("layer"));
          flops = 2 * shape.flops(); // dW and dIn products, each M·K·N of the forward
        }
        default -> {
          continue;
        }
      }
      double opsPerS = r.getPrimaryResult().getScore();
      double[] it = iterationScores(r);
      StringBuilder sb = new StringBuilder();
      sb.append("    {");
      sb.append(kv("benchmark", bench)).append(", ");
      sb.append(kv("shape", shape.name())).append(", ");
      sb.append(kv("m", shape.m)).append(", ").append(kv("k", shape.k)).append(", ").append(kv("n", shape.n));
      sb.append(", ").append(kv("accumulate", shape.accumulate));
      sb.append(", ").append(kv("flops_per_call", flops));
      sb.append(", ").append(kv("ops_per_s", opsPerS));
      sb.append(", ").append(kv("ops_per_s_error_99", r.getPrimaryResult().getScoreError()));
      sb.append(", ").append(kv("us_per_call", 1e6 / opsPerS));
      sb.append(", ").append(kv("gflops", opsPerS * flops / 1e9));
      sb.append(", ").append(kv("gflops_iter_min", min(it) * flops / 1e9));
      sb.append(", ").append(kv("gflops_iter_max", max(it) * flops / 1e9));
      sb.append(", ").append(kv("iterations", it.length));
      sb.append("}");
      rows.add(sb.toString());
      System.out.printf(Locale.ROOT, "%-15s %-14s %8.2f GFLOP/s  (iterations %.2f .. %.2f)%n", bench, shape.name(),
          opsPerS * flops / 1e9, min(it) * flops / 1e9, max(it) * flops / 1e9);
    }
    return "{\n" + meta(results, started) + ",\n  \"results\": [\n" + String.join(",\n", rows) + "\n  ]\n}\n";
  }

  private static String trainJson(Collection<RunResult> results, Instant started) {
    List<String> rows = new ArrayList<>();
    for (RunResult r : results) {
      String model = r.getParams().getParam("model");
      ModelConfig mc = ModelConfig.preset(model, 65);
      TrainConfig tc = TrainConfig.defaults(model);
      long tokens = tc.tokensPerStep(mc.seqLen());
      double[] ms = iterationScores(r); // SingleShotTime in ms: one step per iteration
      double mean = r.getPrimaryResult().getScore();
      double[] sorted = ms.clone();
      Arrays.sort(sorted);
      double median = sorted.length % 2 == 1 ? sorted[sorted.length / 2]
          : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
      StringBuilder sb = new StringBuilder("    {");
      sb.append(kv("benchmark", method(r))).append(", ").append(kv("model", model));
      sb.append(", ").append(kv("micro_batches", tc.microBatches()));
      sb.append(", ").append(kv("micro_batch_size", tc.microBatchSize()));
      sb.append(", ").append(kv("seq_len", mc.seqLen()));
      sb.append(", ").append(kv("tokens_per_step", tokens));
      sb.append(", ").append(kv("ms_per_step_mean", mean));
      sb.append(", ").append(kv("ms_per_step_error_99", r.getPrimaryResult().getScoreError()));
      sb.append(", ").append(kv("ms_per_step_median", median));
      sb.append(", ").append(kv("ms_per_step_min", sorted[0]));
      sb.append(", ").append(kv("ms_per_step_max", sorted[sorted.length - 1]));
      sb.append(", ").append(kv("tokens_per_s_mean", tokens / (mean / 1000)));
      sb.append(", ").append(kv("tokens_per_s_median", tokens / (median / 1000)));
      sb.append(", \"ms_per_step_iterations\": [");
      for (int i = 0; i < ms.length; i++) {
        sb.append(i == 0 ? "" : ", ").append(num(ms[i]));
      }
      sb.append("]}");
      rows.add(sb.toString());
      System.out.printf(Locale.ROOT, "%s step: mean %.1f ms, median %.1f ms (min %.1f, max %.1f) -> %.0f tokens/s (median)%n",
          model, mean, median, sorted[0], sorted[sorted.length - 1], tokens / (median / 1000));
    }
    return "{\n" + meta(results, started) + ",\n  \"results\": [\n" + String.join(",\n", rows) + "\n  ]\n}\n";
  }

  private static String meta(Collection<RunResult> results, Instant started) {
    String jvmArgs = "";
    String jmh = "";
    for (RunResult r : results) {
      jvmArgs = String.join(" ", r.getParams().getJvmArgs());
      jmh = String.format(Locale.ROOT, "mode=%s forks=%d warmup=%dx%s measurement=%dx%s", r.getParams().getMode(),
          r.getParams().getForks(), r.getParams().getWarmup().getCount(), r.getParams().getWarmup().getTime(),
          r.getParams().getMeasurement().getCount(), r.getParams().getMeasurement().getTime());
      break;
    }
    return "  \"meta\": {" + kv("started", started.toString()) + ", " + kv("finished", Instant.now().toString())
        + ", " + kv("java_version", System.getProperty("java.vm.version"))
        + ", " + kv("java_vendor", System.getProperty("java.vm.vendor"))
        + ", " + kv("os_arch", System.getProperty("os.arch"))
        + ", " + kv("available_processors", Runtime.getRuntime().availableProcessors())
        + ", " + kv("fork_jvm_args", jvmArgs)
        + ", " + kv("jmh", jmh) + "}";
  }

  private static String method(RunResult r) {
    String b = r.getParams().getBenchmark();
    return b.substring(b.lastIndexOf('.') + 1);
  }

  private static double[] iterationScores(RunResult r) {
    List<Double> xs = new ArrayList<>();
    for (BenchmarkResult br : r.getBenchmarkResults()) {
      for (IterationResult ir : br.getIterationResults()) {
        xs.add(ir.getPrimaryResult().getScore());
      }
    }
    return xs.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static double min(double[] xs) {
    return Arrays.stream(xs).min().orElse(Double.NaN);
  }

  private static double max(double[] xs) {
    return Arrays.stream(xs).max().orElse(Double.NaN);
  }

  private static String kv(String k, String v) {
    return "\"" + k + "\": \"" + v.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private static String kv(String k, long v) {
    return "\"" + k + "\": " + v;
  }

  private static String kv(String k, boolean v) {
    return "\"" + k + "\": " + v;
  }

  private static String kv(String k, double v) {
    return "\"" + k + "\": " + num(v);
  }

  private static String num(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6g", v) : "null";
  }
}
