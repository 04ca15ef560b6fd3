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
