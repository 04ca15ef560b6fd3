package io.elaswave.engine.kernel;

import static io.elaswave.engine.kernel.GemmTest.assertBitwise;
import static io.elaswave.engine.kernel.GemmTest.random;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The vector cross-entropy equals its scalar twin bit for bit, probs aliasing logits as the head uses it. */
class CrossEntropyTest {

  @ParameterizedTest(name = "{0}x{1}")
  @CsvSource({"512,65", "3,16", "5,17", "7,1", "9,130"})
  void vectorEqualsScalarBitwise(int rows, int v) {
    Random rnd = new Random(rows * 13L + v);
    int[] targets = new int[rows];
    for (int r = 0; r < rows; r++) {
      targets[r] = rnd.nextInt(v);
    }
    for (float spread : new float[] {1f, 20f, 200f}) {
      float[] logits = random(rnd, rows * v);
      for (int i = 0; i < logits.length; i++) {
        logits[i] *= spread;
      }
      for (int round = 0; round < 30; round++) { // across JIT tiers
        float[] fast = logits.clone();
        float[] ref = logits.clone();
        float[] lossFast = new float[rows];
        float[] lossRef = new float[rows];
        CrossEntropy.forward(lossFast, fast, fast, targets, rows, v);
        CrossEntropy.forwardScalar(lossRef, ref, ref, targets, rows, v);
        assertBitwise(ref, fast);
        assertBitwise(lossRef, lossFast);
      }
    }
  }
}
