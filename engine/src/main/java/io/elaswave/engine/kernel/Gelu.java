package io.elaswave.engine.kernel;

import static io.elaswave.engine.kernel.GeluReference.CUBE;
import static io.elaswave.engine.kernel.GeluReference.SCALE;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * GELU (tanh approximation), bitwise equal to {@link GeluReference}: the same multiplications,
 * additions and divisions in the same order, one output per lane (never a fused multiply-add, so
 * every operation rounds exactly as the scalar one does). tanh's argument is stored and reloaded
 * between passes over a chunk, which is exact. The elements past the last full vector go through
 * the reference.
 */
public final class Gelu {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final float CUBE3 = 3f * CUBE;
  private static final int CHUNK = 1024; // floats; a multiple of every vector width

  private Gelu() {}

  /** out[N] = gelu(in[N]); out must not be in. */
  public static void forward(float[] out, float[] in, int n) {
    int full = n - n % S.length();
    for (int c0 = 0; c0 < full; c0 += CHUNK) { // a chunk at a time, so that it stays in L1
      int c1 = Math.min(full, c0 + CHUNK);
      inner(out, in, c0, c1);
      FloatMath.tanhInPlace(out, c0, c1 - c0);
      for (int i = c0; i < c1; i += S.length()) {
        FloatVector x = FloatVector.fromArray(S, in, i);
        FloatVector t = FloatVector.fromArray(S, out, i);
        x.mul(0.5f).mul(t.add(1f)).intoArray(out, i); // 0.5 x (1 + t)
      }
    }
    GeluReference.forward(out, in, full, n);
  }

  /** dIn[N] = gelu'(in) * dOut (overwritten); dIn must be neither dOut nor in. */
  public static void backward(float[] dIn, float[] dOut, float[] in, int n) {
    int full = n - n % S.length();
    for (int c0 = 0; c0 < full; c0 += CHUNK) {
      int c1 = Math.min(full, c0 + CHUNK);
      inner(dIn, in, c0, c1);
      FloatMath.tanhInPlace(dIn, c0, c1 - c0);
      for (int i = c0; i < c1; i += S.length()) {
        FloatVector x = FloatVector.fromArray(S, in, i);
        FloatVector t = FloatVector.fromArray(S, dIn, i);
        FloatVector sech2 = FloatVector.broadcast(S, 1f).sub(t.mul(t));
        FloatVector left = t.add(1f).mul(0.5f); // 0.5 (1 + t)
        FloatVector right = x.mul(0.5f).mul(sech2).mul(SCALE).mul(x.mul(CUBE3).mul(x).add(1f));
        left.add(right).mul(FloatVector.fromArray(S, dOut, i)).intoArray(dIn, i);
      }
    }
    GeluReference.backward(dIn, dOut, in, full, n);
  }

  /** dst[i] = √(2/π) (x + 0.044715 x³) for i in [c0, c1), with the scalar's order: ((CUBE·x)·x)·x. */
  private static void inner(float[] dst, float[] in, int c0, int c1) {
    for (int i = c0; i < c1; i += S.length()) {
      FloatVector x = FloatVector.fromArray(S, in, i);
      x.add(x.mul(CUBE).mul(x).mul(x)).mul(SCALE).intoArray(dst, i);
    }
  }
}
