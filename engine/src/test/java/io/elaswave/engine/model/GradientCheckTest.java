package io.elaswave.engine.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Finite-difference checks of every layer: for f = Σ output · r with a random r, the analytic
 * gradients of the parameters and of the input must match central differences.
 */
class GradientCheckTest {
  private static final ModelConfig CONFIG = new ModelConfig("check", 11, 16, 2, 2, 8, 0.2f, 64);
  private static final Model MODEL = new Model(CONFIG);
  private static final int BATCH = 2;

  @ParameterizedTest(name = "layer {0}")
  @ValueSource(ints = {0, 1, 2, 3})
  void analyticGradientsMatchFiniteDifferences(int layerIndex) {
    Layer layer = MODEL.layer(layerIndex);
    Random rnd = new Random(42 + layerIndex);
    MicroBatch batch = randomBatch(rnd);
    StepContext ctx = new StepContext(7, 3, true);
    float[] params = MODEL.initParams(layerIndex, 99);
    for (int i = 0; i < params.length; i++) {
      params[i] += 0.1f * (float) rnd.nextGaussian(); // off the init so every term is exercised
    }
    float[] input = layer.inputWidth() == 0 ? null : gaussian(rnd, batch.rows() * layer.inputWidth(), 1f);
    float[] r = gaussian(rnd, batch.rows() * layer.outputWidth(), 1f);

    Layer.Forward f = layer.forward(params, input, batch, ctx);
    float[] dParams = new float[params.length];
    float[] dInput = layer.backward(params, dParams, r, batch, f);

    checkAll("param", params, dParams, () -> objective(layer, params, input, batch, ctx, r), rnd);
    if (input != null) {
      checkAll("input", input, dInput, () -> objective(layer, params, input, batch, ctx, r), rnd);
    }
  }

  private static void checkAll(String what, float[] x, float[] analytic, java.util.function.DoubleSupplier f,
      Random rnd) {
    int samples = Math.min(x.length, 60);
    double maxRel = 0;
    for (int s = 0; s < samples; s++) {
      int i = rnd.nextInt(x.length);
      float keep = x[i];
      float h = 1e-2f;
      x[i] = keep + h;
      double up = f.getAsDouble();
      x[i] = keep - h;
      double down = f.getAsDouble();
      x[i] = keep;
      double numeric = (up - down) / (2 * h);
      double err = Math.abs(numeric - analytic[i]) / Math.max(1.0, Math.abs(numeric) + Math.abs(analytic[i]));
      maxRel = Math.max(maxRel, err);
      assertTrue(err < 2e-2, what + "[" + i + "]: numeric " + numeric + " vs analytic " + analytic[i]);
    }
    assertTrue(maxRel < 2e-2, what + " max error " + maxRel);
  }

  private static double objective(Layer layer, float[] params, float[] input, MicroBatch batch, StepContext ctx,
      float[] r) {
    float[] out = layer.forward(params, input, batch, ctx).output();
    double s = 0;
    for (int i = 0; i < out.length; i++) {
      s += (double) out[i] * r[i];
    }
    return s;
  }

  private static MicroBatch randomBatch(Random rnd) {
    int n = BATCH * CONFIG.seqLen();
    int[] tokens = new int[n];
    int[] targets = new int[n];
    for (int i = 0; i < n; i++) {
      tokens[i] = rnd.nextInt(CONFIG.vocab());
      targets[i] = rnd.nextInt(CONFIG.vocab());
    }
    return new MicroBatch(1, BATCH, CONFIG.seqLen(), tokens, targets);
  }

  private static float[] gaussian(Random rnd, int n, float std) {
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = std * (float) rnd.nextGaussian();
    }
    return out;
  }
}
