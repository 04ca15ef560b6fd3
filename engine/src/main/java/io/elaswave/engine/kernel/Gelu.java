package io.elaswave.engine.kernel;

import static io.elaswave.engine.kernel.GeluReference.CUBE;
import static io.elaswave.engine.kernel.GeluReference.SCALE;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * GELU (tanh approximation), bitwise equal to {@link GeluReference}: the same multiplications,
 * additions and divisions in the same order, one output per lane (never a fused multiply-add, so
 * every operation rounds exactly as the scalar one does). The elements past the last full vector
 * go through the reference.
 */
public final class Gelu {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final float CUBE3 = 3f * CUBE;

  private Gelu() {}

  /** out[N] = gelu(in[N]). */
  public static void forward(float[] out, float[] in, int n) {
    int full = n - n % S.length();
    for (int i = 0; i < full; i += S.length()) {
      FloatVector x = FloatVector.fromArray(S, in, i);
      FloatVector t = FloatMath.tanh(inner(x));
      x.mul(0.5f).mul(t.add(1f)).intoArray(out, i); // 0.5 x (1 + t)
    }
    GeluReference.forward(out, in, full, n);
  }

  /** dIn[N] = gelu'(in) * dOut (overwritten). */
  public static void backward(float[] dIn, float[] dOut, float[] in, int n) {
    int full = n - n % S.length();
    for (int i = 0; i < full; i += S.length()) {
      FloatVector x = FloatVector.fromArray(S, in, i);
      FloatVector t = FloatMath.tanh(inner(x));
      FloatVector sech2 = FloatVector.broadcast(S, 1f).sub(t.mul(t));
      FloatVector left = t.add(1f).mul(0.5f); // 0.5 (1 + t)
      FloatVector right = x.mul(0.5f).mul(sech2).mul(SCALE).mul(x.mul(CUBE3).mul(x).add(1f));
      left.add(right).mul(FloatVector.fromArray(S, dOut, i)).intoArray(dIn, i);
    }
    GeluReference.backward(dIn, dOut, in, full, n);
  }

  /** √(2/π) (x + 0.044715 x³), with the scalar's order: ((CUBE·x)·x)·x. */
  private static FloatVector inner(FloatVector x) {
    return x.add(x.mul(CUBE).mul(x).mul(x)).mul(SCALE);
  }
}
