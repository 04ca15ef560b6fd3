package io.elaswave.engine.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/** The vectorised GELU and tanh must equal their scalar definitions bit for bit. */
class GeluTest {
  private static final float[] TRICKY = {0f, -0f, 1e-30f, -1e-30f, 8.999999f, 9f, 9.000001f, -9f, -9.000001f, 20f,
      -20f, 1e30f, -1e30f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, Float.MIN_VALUE,
      Float.MAX_VALUE, -Float.MAX_VALUE, 0.5f, -3.75f};

  @Test
  void forwardAndBackwardEqualTheReferenceBitwise() {
    Random rnd = new Random(7);
    for (int n : new int[] {0, 1, 15, 16, 17, 100, 1031}) {
      float[] x = new float[n];
      float[] dOut = new float[n];
      for (int i = 0; i < n; i++) {
        x[i] = i < TRICKY.length && rnd.nextBoolean() ? TRICKY[i] : (float) (rnd.nextGaussian() * 4);
        dOut[i] = (float) rnd.nextGaussian();
      }
      float[] fast = new float[n];
      float[] ref = new float[n];
      Gelu.forward(fast, x, n);
      GeluReference.forward(ref, x, n);
      GemmTest.assertBitwise(ref, fast);
      Gelu.backward(fast, dOut, x, n);
      GeluReference.backward(ref, dOut, x, n);
      GemmTest.assertBitwise(ref, fast);
    }
  }

  @Test
  void vectorTanhEqualsScalarTanhBitwise() {
    var species = FloatVector.SPECIES_PREFERRED;
    float[] lanes = new float[species.length()];
    Random rnd = new Random(11);
    for (int round = 0; round < 20_000; round++) {
      for (int i = 0; i < lanes.length; i++) {
        lanes[i] = round < 2 ? TRICKY[(round * lanes.length + i) % TRICKY.length] : (float) (rnd.nextGaussian() * 6);
      }
      float[] got = lanes.clone();
      FloatMath.tanhInPlace(got, 0, got.length);
      for (int i = 0; i < lanes.length; i++) {
        assertEquals(Float.floatToRawIntBits(FloatMath.tanh(lanes[i])), Float.floatToRawIntBits(got[i]),
            "tanh(" + lanes[i] + ")");
      }
    }
  }
}
