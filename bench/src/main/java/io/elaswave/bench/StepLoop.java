package io.elaswave.bench;

import io.elaswave.engine.data.Corpus;
import io.elaswave.engine.train.ReferenceTrainer;
import io.elaswave.engine.train.StepResult;
import io.elaswave.engine.train.TrainConfig;
import io.elaswave.engine.train.TrainState;
import java.util.Locale;

/**
 * Runs N reference training steps in a plain loop and prints each step's wall time: the warm-up
 * curve, and a target for a profiler (no JMH in the way).
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
    for (int i = 0; i < steps; i++) {
      long t0 = System.nanoTime();
      StepResult r = trainer.step(state);
      state = state.atStep(r.step());
      double ms = (System.nanoTime() - t0) / 1e6;
      System.out.printf(Locale.ROOT, "step %d %.1f ms %.0f tokens/s loss %.4f%n", r.step(), ms, r.tokens() / (ms / 1000),
          r.loss());
    }
  }
}
