package io.elaswave.engine.kernel;

import static io.elaswave.engine.kernel.GemmTest.assertBitwise;
import static io.elaswave.engine.kernel.GemmTest.random;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The vector softmax must equal its scalar twin bit for bit, forward and backward. */
class CausalSoftmaxTest {

  @ParameterizedTest(name = "T={0}")
  @ValueSource(ints = {1, 2, 7, 15, 16, 17, 31, 33, 64, 70, 128})
  void vectorEqualsScalarBitwise(int seq) {
    Random rnd = new Random(seq);
    float scale = (float) (1.0 / Math.sqrt(32));
    for (float spread : new float[] {1f, 30f, 400f}) { // 400: scores far apart, exp underflows to 0
      float[] pre = random(rnd, seq * seq);
      for (int i = 0; i < pre.length; i++) {
        pre[i] *= spread;
      }
      int off = 5;
      float[] fast = random(rnd, off + seq * seq); // stale contents must not leak through
      float[] ref = fast.clone();
      for (int round = 0; round < 40; round++) { // across JIT tiers
        CausalSoftmax.forward(fast, off, pre, scale, seq);
        CausalSoftmax.forwardScalar(ref, off, pre, scale, seq);
        assertBitwise(ref, fast);
      }
      float[] dAtt = random(rnd, seq * seq);
      float[] dFast = random(rnd, 3 + seq * seq);
      float[] dRef = dFast.clone();
      for (int round = 0; round < 40; round++) {
        CausalSoftmax.backward(dFast, 3, ref, off, dAtt, scale, seq);
        CausalSoftmax.backwardScalar(dRef, 3, ref, off, dAtt, scale, seq);
        assertBitwise(dRef, dFast);
      }
    }
  }
}
