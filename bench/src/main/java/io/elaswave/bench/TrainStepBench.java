package io.elaswave.bench;

import io.elaswave.engine.data.Corpus;
import io.elaswave.engine.train.ReferenceTrainer;
import io.elaswave.engine.train.StepResult;
import io.elaswave.engine.train.TrainConfig;
import io.elaswave.engine.train.TrainState;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One full reference training step of a model preset with its default config ({@code small}:
 * G=4 micro-batches × B=8 sequences × T=64 = 2048 tokens). Each JMH iteration is exactly one
 * step (SingleShotTime); the state keeps training from step to step (steps 1, 2, 3, ...), as
 * {@code ReferenceDriver} does. The warm-up steps matter: the Vector API code runs slowly until
 * C2 has compiled it. {@link BenchReport} turns ms/step into tokens/s.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 15)
@Measurement(iterations = 15)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx2g", "-XX:+UseParallelGC"})
@State(Scope.Thread)
public class TrainStepBench {
  @Param({"small"})
  public String model;

  private ReferenceTrainer trainer;
  private TrainState state;

  @Setup(Level.Trial)
  public void setup() {
    trainer = new ReferenceTrainer(TrainConfig.defaults(model), Corpus.tinyShakespeare());
    state = trainer.initialState();
  }

  @Benchmark
  public StepResult step() {
    StepResult r = trainer.step(state);
    state = state.atStep(r.step()); // as ReferenceDriver does: the next step samples the next batch
    return r;
  }
}
