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
      "128,512,384", "512,384,128", "128,512,65", "512,65,128", "64,32,64", "64,64,32", // backward, attention
      "1,1,1", "3,5,7", "4,32,32", "5,17,33", "7,3,65", "13,1,100", "9,64,31", "8,16,16", "8,17,15",
      "17,257,33", "16,300,48", "9,513,97", "24,256,32", "8,0,20"}) // k-blocks of 256, edges
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

  /** Every layout a caller uses: plain, A transposed, B transposed, both, strided sub-matrices. */
  @ParameterizedTest(name = "{0}x{1}x{2}")
  @CsvSource({"512,128,65", "128,512,65", "64,32,64", "8,300,33", "17,5,49", "16,260,16", "3,2,1", "40,64,32"})
  void everyViewEqualsTheReferenceBitwise(int m, int k, int n) {
    Random rnd = new Random(m * 131L + k * 17L + n);
    int pad = 3;
    // A(i,p), B(p,j) and out(i,j) in wider arrays: A and B in both orientations, out with a row
    // stride past n, so that a wrong stride or an edge that writes past its tile is seen
    int ldo = n + pad;
    float[] aRowMajor = random(rnd, 5 + m * (k + pad));
    float[] aColMajor = random(rnd, 5 + k * (m + pad));
    float[] bRowMajor = random(rnd, 7 + k * (n + pad));
    float[] bColMajor = random(rnd, 7 + n * (k + pad));
    int[][] aViews = {{5, k + pad, 1}, {5, 1, m + pad}};
    int[][] bViews = {{7, n + pad, 1}, {7, 1, k + pad}};
    float[][] aData = {aRowMajor, aColMajor};
    float[][] bData = {bRowMajor, bColMajor};
    for (int av = 0; av < 2; av++) {
      for (int bv = 0; bv < 2; bv++) {
        for (boolean accumulate : new boolean[] {false, true}) {
          float[] start = random(rnd, 2 + m * ldo);
          float[] fast = start.clone();
          float[] ref = start.clone();
          int[] va = aViews[av];
          int[] vb = bViews[bv];
          Gemm.strided(fast, 2, ldo, aData[av], va[0], va[1], va[2], bData[bv], vb[0], vb[1], vb[2], m, k, n, accumulate);
          GemmReference.strided(ref, 2, ldo, aData[av], va[0], va[1], va[2], bData[bv], vb[0], vb[1], vb[2], m, k, n,
              accumulate);
          assertBitwise(ref, fast); // includes the padding columns, which must be untouched
        }
      }
    }
  }

  @Test
  void transposedFormsAreTheStridedOnes() {
    Random rnd = new Random(3);
    int m = 24;
    int k = 40;
    int n = 70;
    float[] at = random(rnd, k * m);
    float[] b = random(rnd, k * n);
    float[] a = random(rnd, m * k);
    float[] bt = random(rnd, n * k);
    float[] fast = new float[m * n];
    float[] ref = new float[m * n];
    Gemm.multiplyTransposedA(fast, 0, at, 0, b, 0, m, k, n, false);
    GemmReference.strided(ref, 0, n, at, 0, 1, m, b, 0, n, 1, m, k, n, false);
    assertBitwise(ref, fast);
    Gemm.multiplyTransposedB(fast, 0, a, 0, bt, 0, m, k, n, true);
    GemmReference.strided(ref, 0, n, a, 0, k, 1, bt, 0, 1, k, m, k, n, true);
    assertBitwise(ref, fast);
  }

  @Test
  void aViewOutsideItsArrayIsRefusedBeforeAnythingIsWritten() {
    float[] out = new float[4 * 4];
    float[] a = new float[4 * 4];
    float[] b = new float[4 * 3]; // one row short of k = 4
    java.util.Arrays.fill(out, 7f);
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> Gemm.multiply(out, a, b, 4, 4, 4, false));
    org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("operand b"), e.getMessage());
    for (float x : out) {
      assertEquals(7f, x);
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
    int k = 300;
    int n = 70;
    float[] a = random(rnd, m * k);
    float[] b = random(rnd, k * n);
    float[] first = new float[m * n];
    GemmReference.multiply(first, a, b, m, k, n, false);
    float[] firstT = new float[m * n];
    GemmReference.strided(firstT, 0, n, a, 0, 1, m, b, 0, 1, k, m, k, n, false);
    for (int i = 0; i < 3000; i++) {
      float[] again = new float[m * n];
      Gemm.multiply(again, a, b, m, k, n, false);
      assertArrayEquals(first, again, "call " + i);
      Gemm.strided(again, 0, n, a, 0, 1, m, b, 0, 1, k, m, k, n, false); // both operands transposed
      assertArrayEquals(firstT, again, "transposed call " + i);
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
