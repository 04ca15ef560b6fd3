package io.elaswave.engine.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FloatMathTest {
  @Test
  void expIsAccurateToAFewUlps() {
    for (float x = -87f; x < 88f; x += 0.01371f) {
      double exact = StrictMath.exp(x);
      float got = FloatMath.exp(x);
      double ulps = Math.abs(got - exact) / Math.ulp((float) exact);
      assertTrue(ulps <= 2.0, "exp(" + x + ") = " + got + ", exact " + exact + " (" + ulps + " ulp)");
    }
  }

  @Test
  void vectorExpEqualsTheScalarBitForBit() {
    int lanes = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length();
    java.util.List<Float> xs = new java.util.ArrayList<>();
    for (float x = -105f; x < 105f; x += 0.000917f) { // every region: 0, subnormal, the n = 128 case, +inf
      xs.add(x);
    }
    for (float x : new float[] {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, 88.3762626647949f, 88.37627f,
        -87.3365447504f, -87.33655f, 88.72283f, -103.97208f, Float.MAX_VALUE, -Float.MAX_VALUE,
        Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, 0.5f / 1.44269504088896341f}) {
      xs.add(x);
      xs.add(Math.nextUp(x));
      xs.add(Math.nextDown(x));
    }
    float[] in = new float[(xs.size() + lanes - 1) / lanes * lanes];
    for (int i = 0; i < xs.size(); i++) {
      in[i] = xs.get(i);
    }
    float[] out = new float[in.length];
    for (int round = 0; round < 30; round++) { // interpreted, C1 and C2 must agree
      FloatMath.expScaledShifted(in, 0, 1f, 0f, out, 0, in.length); // x · 1 − 0 is x, −0 included
      for (int i = 0; i < in.length; i++) {
        float expected = FloatMath.exp(in[i]);
        if (Float.isNaN(in[i])) {
          assertTrue(Float.isNaN(out[i]), "exp(NaN)");
        } else {
          assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(out[i]), "exp(" + in[i] + ")");
        }
      }
    }
  }

  @Test
  void expSaturatesOutsideFloatRange() {
    assertEquals(0f, FloatMath.exp(-100f));
    assertEquals(Float.POSITIVE_INFINITY, FloatMath.exp(100f));
    assertEquals(1f, FloatMath.exp(0f));
  }

  @Test
  void tanhIsAccurateAndOdd() {
    for (float x = -12f; x < 12f; x += 0.00731f) {
      double exact = StrictMath.tanh(x);
      float got = FloatMath.tanh(x);
      assertTrue(Math.abs(got - exact) <= 4e-7 + 4 * Math.ulp((float) exact), "tanh(" + x + ") = " + got);
      assertEquals(-got, FloatMath.tanh(-x));
    }
  }
}
