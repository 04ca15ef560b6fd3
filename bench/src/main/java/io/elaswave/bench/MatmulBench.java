package io.elaswave.bench;

import io.elaswave.engine.kernel.Gemm;
import io.elaswave.engine.kernel.GemmReference;
import io.elaswave.engine.kernel.Linear;
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
 * Matrix products of the {@code small} model, one call per operation (Throughput, ops/s; one
 * op = {@link MatmulShape#flops()} flops, so GFLOP/s = score × flops / 1e9 — {@link BenchReport}
 * does that and writes JSON).
 *
 * <ul>
 *   <li>{@code gemm}: the tiled {@link Gemm} on every {@link MatmulShape};
 *   <li>{@code gemmInPlace}: the backward shapes with the transposed operand read in place, as
 *       {@code Linear.backward} calls them ({@link InPlaceShape});
 *   <li>{@code reference}: the scalar {@link GemmReference} chain on one shape ({@code attn_proj},
 *       512×128·128×128), to compare with {@code gemm} on the same shape;
 *   <li>{@code linearForward} / {@code linearBackward}: the whole {@link Linear} call (bias add,
 *       and in backward the two Gemms reading in and W transposed in place) for {@code fc} and {@code proj}, to
 *       compare with the sum of its Gemms. Their "flops" are those of the Gemms inside (forward
 *       one product, backward two).
 * </ul>
 *
 * <p>Plain JMH: {@code java -jar bench/target/benchmarks.jar MatmulBench -wi 3 -i 5 -f 1 -w 1s -r 1s}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx2g", "-XX:+UseParallelGC"})
public class MatmulBench {

  /** One shape's operands for the tiled kernel. */
  @State(Scope.Thread)
  public static class Shape {
    @Param({
      "qkv", "attn_proj", "fc", "proj", "head",
      "qkv_dW", "qkv_dIn", "attn_proj_dW", "attn_proj_dIn", "fc_dW", "fc_dIn",
      "proj_dW", "proj_dIn", "head_dW", "head_dIn"
    })
    public String shape;

    MatmulShape s;
    float[] a;
    float[] b;
    float[] out;

    @Setup(Level.Trial)
    public void setup() {
      s = MatmulShape.valueOf(shape);
      float[][] x = s.operands(42);
      a = x[0];
      b = x[1];
      out = x[2];
    }
  }

  /**
   * A backward shape with its operand read in place, as {@code Linear.backward} now reads it:
   * {@code X_dW} with A = in^T read from in [R,C], {@code X_dIn} with B = W^T read from W [C,O]
   * (the same random values, seen the other way round).
   */
  @State(Scope.Thread)
  public static class InPlaceShape {
    @Param({
      "qkv_dW", "qkv_dIn", "attn_proj_dW", "attn_proj_dIn", "fc_dW", "fc_dIn", "proj_dW", "proj_dIn", "head_dW",
      "head_dIn"
    })
    public String inPlaceShape;

    MatmulShape s;
    float[] a;
    float[] b;
    float[] out;

    @Setup(Level.Trial)
    public void setup() {
      s = MatmulShape.valueOf(inPlaceShape);
      float[][] x = s.operands(42);
      a = x[0];
      b = x[1];
      out = x[2];
    }
  }

  /** The shape on which the scalar reference chain is timed. */
  @State(Scope.Thread)
  public static class RefShape {
    @Param({"attn_proj"})
    public String refShape;

    MatmulShape s;
    float[] a;
    float[] b;
    float[] out;

    @Setup(Level.Trial)
    public void setup() {
      s = MatmulShape.valueOf(refShape);
      float[][] x = s.operands(42);
      a = x[0];
      b = x[1];
      out = x[2];
    }
  }

  /** A Linear layer of the small model: rows 512, in C, out O, with bias. */
  @State(Scope.Thread)
  public static class Layer {
    @Param({"fc", "proj"})
    public String layer;

    int rows = 512;
    int c;
    int o;
    float[] in;
    float[] params;
    float[] dParams;
    float[] out;
    float[] dOut;
    float[] dIn;
    int wOff = 0;
    int bOff;

    @Setup(Level.Trial)
    public void setup() {
      MatmulShape fwd = MatmulShape.valueOf(layer);
      c = fwd.k;
      o = fwd.n;
      bOff = c * o;
      java.util.Random r = new java.util.Random(42);
      in = MatmulShape.fill(r, new float[rows * c]);
      params = MatmulShape.fill(r, new float[c * o + o]);
      dParams = new float[c * o + o];
      out = new float[rows * o];
      dOut = MatmulShape.fill(r, new float[rows * o]);
      dIn = new float[rows * c];
    }
  }

  @Benchmark
  public float[] gemm(Shape st) {
    MatmulShape s = st.s;
    Gemm.multiply(st.out, st.a, st.b, s.m, s.k, s.n, s.accumulate);
    return st.out;
  }

  @Benchmark
  public float[] gemmInPlace(InPlaceShape st) {
    MatmulShape s = st.s;
    if (st.inPlaceShape.endsWith("_dW")) {
      Gemm.multiplyTransposedA(st.out, 0, st.a, 0, st.b, 0, s.m, s.k, s.n, s.accumulate);
    } else {
      Gemm.multiplyTransposedB(st.out, 0, st.a, 0, st.b, 0, s.m, s.k, s.n, s.accumulate);
    }
    return st.out;
  }

  @Benchmark
  public float[] reference(RefShape st) {
    MatmulShape s = st.s;
    GemmReference.multiply(st.out, st.a, st.b, s.m, s.k, s.n, s.accumulate);
    return st.out;
  }

  @Benchmark
  public float[] linearForward(Layer l) {
    Linear.forward(l.out, l.in, l.params, l.wOff, l.bOff, l.rows, l.c, l.o);
    return l.out;
  }

  @Benchmark
  public float[] linearBackward(Layer l) {
    Linear.backward(l.dIn, l.dParams, l.dOut, l.in, l.params, l.wOff, l.bOff, l.rows, l.c, l.o);
    return l.dIn;
  }
}
