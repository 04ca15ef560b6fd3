package io.elaswave.engine.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The tiled kernel must equal the scalar fma chain bit for bit, on every shape and edge. */
class GemmTest {

  @ParameterizedTest(name = "{0}x{1}x{2}")
  @CsvSource({
      "512,128,384", "512,128,128", "512,128,512", "512,512,128", "512,128,65", // model shapes
      "1,1,1", "3,5,7", "4,32,32", "5,17,33", "7,3,65", "64,32,64", "13,1,100", "9,64,31"})
  void tiledEqualsReferenceBitwise(int m, int k, int n) {
    Random rnd = new Random(m * 31L + k * 7L + n);
    float[] a = random(rnd, m * k);
    float[] b = random(rnd, k * n);
    for (boolean accumulate : new boolean[] {false, true}) {
      float[] start = random(rnd, m * n);
      float[] fast = start.clone();
      float[] ref = start.clone();
      Gemm.multiply(fast, a, b, m, k, n, accumulate);
      GemmReference.multiply(ref, a, b, m, k, n, accumulate);
      assertBitwise(ref, fast);
    }
  }

  @Test
  void offsetsAddressSubMatrices() {
    Random rnd = new Random(5);
    int m = 6;
    int k = 9;
    int n = 35;
    float[] a = random(rnd, 3 + m * k);
    float[] b = random(rnd, 11 + k * n);
    float[] fast = new float[2 + m * n];
    float[] ref = new float[2 + m * n];
    Gemm.multiply(fast, 2, a, 3, b, 11, m, k, n, false);
    GemmReference.multiply(ref, 2, a, 3, b, 11, m, k, n, false);
    assertBitwise(ref, fast);
    assertEquals(0f, fast[0]);
  }

  @Test
  void resultIsStableAcrossJitTiers() {
    // The first calls run interpreted, later ones compiled by C1 then C2: every call must agree.
    Random rnd = new Random(9);
    int m = 36;
    int k = 40;
    int n = 70;
    float[] a = random(rnd, m * k);
    float[] b = random(rnd, k * n);
    float[] first = new float[m * n];
    Gemm.multiply(first, a, b, m, k, n, false);
    for (int i = 0; i < 3000; i++) {
      float[] again = new float[m * n];
      Gemm.multiply(again, a, b, m, k, n, false);
      assertArrayEquals(first, again, "call " + i);
    }
  }

  static void assertBitwise(float[] expected, float[] actual) {
    assertEquals(expected.length, actual.length);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]), "element " + i);
    }
  }

  static float[] random(Random rnd, int n) {
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = (float) rnd.nextGaussian();
    }
    return out;
  }
}
