package io.elaswave.engine.kernel;

import static io.elaswave.engine.kernel.GemmTest.assertBitwise;
import static io.elaswave.engine.kernel.GemmTest.random;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The interleaved, vectorised layer norm must equal its scalar twin bit for bit. */
class LayerNormTest {

  @ParameterizedTest(name = "{0}x{1}")
  @CsvSource({"512,128", "1,128", "3,33", "5,256", "7,16", "9,1", "64,32", "6,100"})
  void vectorEqualsScalarBitwise(int rows, int c) {
    Random rnd = new Random(rows * 7L + c);
    int wOff = 3;
    int bOff = wOff + c + 2;
    float[] params = random(rnd, bOff + c + 1);
    float[] in = random(rnd, rows * c);
    for (int i = 0; i < in.length; i += 3) {
      in[i] *= 50f; // rows with a wide range
    }
    float[] out = new float[rows * c];
    float[] mean = new float[rows];
    float[] rstd = new float[rows];
    float[] outRef = new float[rows * c];
    float[] meanRef = new float[rows];
    float[] rstdRef = new float[rows];
    float[] dOut = random(rnd, rows * c);
    float[] dParams = random(rnd, params.length);
    float[] dParamsRef = dParams.clone();
    float[] dIn = new float[rows * c];
    float[] dInRef = new float[rows * c];
    for (int round = 0; round < 40; round++) { // across JIT tiers
      LayerNorm.forward(out, mean, rstd, in, params, wOff, bOff, rows, c);
      LayerNorm.forwardScalar(outRef, meanRef, rstdRef, in, params, wOff, bOff, rows, c);
      assertBitwise(outRef, out);
      assertBitwise(meanRef, mean);
      assertBitwise(rstdRef, rstd);
      LayerNorm.backward(dIn, dParams, dOut, in, mean, rstd, params, wOff, bOff, rows, c);
      LayerNorm.backwardScalar(dInRef, dParamsRef, dOut, in, meanRef, rstdRef, params, wOff, bOff, rows, c);
      assertBitwise(dInRef, dIn);
      assertBitwise(dParamsRef, dParams); // accumulated over rounds too
    }
  }
}
