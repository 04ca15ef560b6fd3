package io.elaswave.app;

import io.elaswave.engine.data.Corpus;
import io.elaswave.engine.param.Digest;
import io.elaswave.engine.train.StepResult;
import io.elaswave.engine.train.TrainConfig;
import io.elaswave.protocol.fault.Fault;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;

/**
 * Time to resume after one kind of fault, as a series of small runs: 3 node JVMs (tiny, dp = 3,
 * one rank per node), node-2 struck during step 4 of 7 in each. Few JVMs per run keep the 2-core
 * machine from starving heartbeats while JVMs warm up. Every run's digests must equal the
 * reference trainer's, or the series fails.
 */
final class MttrSeries {
  private static final long STEPS = 7;

  /** What one series measured, in milliseconds from the fault, each list one value per run. */
  record Result(String kind, List<Double> detect, List<Double> runningAgain, List<Double> redone, List<String> causes) {
    String json() {
      return String.format(Locale.ROOT, "{\"runs\": %d, \"causes\": %s, \"detectMillis\": %s, \"runningAgainMillis\": %s,"
          + " \"redoneCommittedMillis\": %s, \"detectP50\": %.1f, \"runningAgainP50\": %.1f, \"runningAgainMax\": %.1f,"
          + " \"redoneP50\": %.1f, \"redoneMax\": %.1f}", runningAgain.size(), quoted(causes), detect, runningAgain,
          redone, p50(detect), p50(runningAgain), max(runningAgain), p50(redone), max(redone));
    }

    String line() {
      return String.format(Locale.ROOT, "%s: %d runs, detected p50 %.0f ms; running again p50 %.0f ms, max %.0f ms;"
          + " redone step committed p50 %.0f ms, max %.0f ms (causes %s)", kind, runningAgain.size(), p50(detect),
          p50(runningAgain), max(runningAgain), p50(redone), max(redone), causes);
    }
  }

  private MttrSeries() {}

  /** {@code runs} runs, each struck by {@code fault.apply(step)} on node-2. */
  static Result run(String kind, int runs, IntFunction<Fault> fault, Corpus corpus, PrintWriter term) {
    TrainConfig config = ElasticBench.custom("tiny", 3, STEPS);
    Result result = new Result(kind, new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    for (int run = 0; run < runs; run++) {
      List<Long> digests = new ArrayList<>();
      RuntimeOptions options = RuntimeOptions.builder(3, 1).nodes(3).ranksPerNode(1).fault(fault.apply(4)).build();
      try (RuntimeDriver d = RuntimeDriver.start(options, config, null, corpus, term)) {
        for (long s = 1; s <= STEPS; s++) {
          digests.add(d.step().digest());
          for (RunEvent e : d.drainEvents()) {
            if (e instanceof RunEvent.Recovered r) {
              result.detect().add(r.detectMillis());
              result.runningAgain().add(r.mttrMillis());
              result.redone().add(r.redoneMillis());
              result.causes().add(r.cause());
            }
          }
        }
      }
      requireReference(config, corpus, digests, kind + " run " + (run + 1), term);
    }
    term.println(result.line());
    return result;
  }

  static void requireReference(TrainConfig config, Corpus corpus, List<Long> digests, String phase, PrintWriter term) {
    try (ReferenceDriver ref = ReferenceDriver.fresh(config, corpus)) {
      for (int i = 0; i < digests.size(); i++) {
        StepResult r = ref.step();
        if (r.digest() != digests.get(i)) {
          throw new IllegalStateException(phase + ": step " + r.step() + " digest " + Digest.hex(digests.get(i))
              + " differs from the reference " + Digest.hex(r.digest()));
        }
      }
    }
    term.println(phase + ": every step's digest equals the reference run's");
  }

  static double p50(List<Double> xs) {
    List<Double> sorted = xs.stream().sorted().toList();
    return sorted.isEmpty() ? Double.NaN : sorted.get((sorted.size() - 1) / 2);
  }

  static double max(List<Double> xs) {
    return xs.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
  }

  private static String quoted(List<String> xs) {
    return xs.stream().map(x -> "\"" + x + "\"").toList().toString();
  }
}
