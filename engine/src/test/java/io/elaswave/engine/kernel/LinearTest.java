package io.elaswave.engine.kernel;

import static io.elaswave.engine.kernel.GemmTest.assertBitwise;
import static io.elaswave.engine.kernel.GemmTest.random;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Linear forward and backward against the plain definitions: the reference chain and scalar bias loops. */
class LinearTest {

  @ParameterizedTest(name = "{0}x{1}->{2}")
  @CsvSource({"512,128,384", "512,128,65", "512,512,128", "7,5,3", "33,17,40", "16,64,16"})
  void equalsThePlainDefinitionBitwise(int rows, int c, int o) {
    Random rnd = new Random(rows + 31L * c + o);
    int wOff = 2;
    int bOff = wOff + c * o + 1;
    float[] params = random(rnd, bOff + o);
    float[] in = random(rnd, rows * c);
    float[] dOut = random(rnd, rows * o);
    for (int bias : new int[] {bOff, Linear.NO_BIAS}) {
      float[] out = new float[rows * o];
      Linear.forward(out, in, params, wOff, bias, rows, c, o);
      float[] outRef = new float[rows * o];
      GemmReference.multiply(outRef, 0, in, 0, params, wOff, rows, c, o, false);
      for (int r = 0; r < rows && bias != Linear.NO_BIAS; r++) {
        for (int j = 0; j < o; j++) {
          outRef[r * o + j] += params[bias + j];
        }
      }
      assertBitwise(outRef, out);

      float[] dParams = random(rnd, params.length);
      float[] dParamsRef = dParams.clone();
      float[] dIn = new float[rows * c];
      Linear.backward(dIn, dParams, dOut, in, params, wOff, bias, rows, c, o);
      GemmReference.strided(dParamsRef, wOff, o, in, 0, 1, c, dOut, 0, o, 1, c, rows, o, true);
      for (int r = 0; r < rows && bias != Linear.NO_BIAS; r++) {
        for (int j = 0; j < o; j++) {
          dParamsRef[bias + j] += dOut[r * o + j];
        }
      }
      float[] dInRef = new float[rows * c];
      GemmReference.strided(dInRef, 0, c, dOut, 0, o, 1, params, wOff, 1, o, rows, o, c, false);
      assertBitwise(dParamsRef, dParams);
      assertBitwise(dInRef, dIn);
    }
  }
}
