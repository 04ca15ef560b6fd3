package io.elaswave.bench;

import io.elaswave.engine.data.Corpus;
import io.elaswave.engine.train.ReferenceTrainer;
import io.elaswave.engine.train.StepResult;
import io.elaswave.engine.train.TrainConfig;
import io.elaswave.engine.train.TrainState;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;

/**
 * Runs N reference training steps in a plain loop and prints each step's wall time, the bytes the
 * step allocated (the trainer runs on this thread: {@code ThreadMXBean.getThreadAllocatedBytes})
 * and the GC time during it: the warm-up curve, the garbage per step, and a target for a profiler
 * (no JMH in the way). Ends with the medians over the second half of the steps.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -Xmx2g -XX:+UseParallelGC \
 *   -XX:StartFlightRecording=filename=/tmp/step.jfr,settings=profile \
 *   -cp bench/target/benchmarks.jar io.elaswave.bench.StepLoop 40 [model]
 * python3 bench/jfr_top.py /tmp/step.jfr
 * </pre>
 */
public final class StepLoop {
  private StepLoop() {}

  public static void main(String[] args) {
    int steps = args.length > 0 ? Integer.parseInt(args[0]) : 40;
    String model = args.length > 1 ? args[1] : "small";
    ReferenceTrainer trainer = new ReferenceTrainer(TrainConfig.defaults(model), Corpus.tinyShakespeare());
    TrainState state = trainer.initialState();
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long self = Thread.currentThread().getId();
    double[] ms = new double[steps];
    double[] mb = new double[steps];
    double[] gc = new double[steps];
    long tokens = 0;
    for (int i = 0; i < steps; i++) {
      long a0 = threads.getThreadAllocatedBytes(self);
      long g0 = gcMillis();
      long t0 = System.nanoTime();
      StepResult r = trainer.step(state);
      state = state.atStep(r.step());
      ms[i] = (System.nanoTime() - t0) / 1e6;
      mb[i] = (threads.getThreadAllocatedBytes(self) - a0) / 1e6;
      gc[i] = gcMillis() - g0;
      tokens = r.tokens();
      System.out.printf(Locale.ROOT, "step %d %.1f ms %.0f tokens/s loss %.4f alloc %.2f MB gc %.0f ms%n", r.step(),
          ms[i], r.tokens() / (ms[i] / 1000), r.loss(), mb[i], gc[i]);
    }
    int from = steps / 2;
    double stepMs = median(ms, from);
    System.out.printf(Locale.ROOT, "median of steps %d-%d: %.1f ms/step, %.0f tokens/s, alloc %.2f MB/step, gc %.2f%% of"
        + " step time%n", from + 1, steps, stepMs, tokens / (stepMs / 1000), median(mb, from),
        100 * Arrays.stream(gc, from, steps).sum() / Arrays.stream(ms, from, steps).sum());
  }

  private static double median(double[] x, int from) {
    double[] s = Arrays.copyOfRange(x, from, x.length);
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  private static long gcMillis() {
    long sum = 0;
    for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
      sum += Math.max(0, b.getCollectionTime());
    }
    return sum;
  }
}
