package io.elaswave.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.elaswave.engine.data.BatchSampler;
import io.elaswave.engine.model.Layer;
import io.elaswave.engine.model.MicroBatch;
import io.elaswave.engine.model.Model;
import io.elaswave.engine.model.StepContext;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A pipeline of stages that pass activations forward and activation gradients back computes
 * exactly what one pass over all layers computes: the property pipeline parallelism relies on.
 */
class StagePassTest {
  @Test
  void anyStageSplitGivesTheSameOutputsAndGradients() {
    TrainConfig config = TinyRuns.tiny(1);
    Model model = new Model(config.modelConfig(TinyRuns.CORPUS.vocab().size()));
    int layers = model.layerCount();
    float[][] params = model.initParams(config.seed());
    BatchSampler sampler = new BatchSampler(TinyRuns.CORPUS, config.seed(), 3, model.config().seqLen());
    MicroBatch batch = sampler.train(4, 2);
    StepContext ctx = new StepContext(config.seed(), 4, true);
    float[] dLoss = StagePass.lossGradient(batch, 1000);

    List<Layer.Forward> whole = StagePass.forward(model, params, 0, layers, null, batch, ctx);
    float[][] wholeGrads = LayerVectors.zerosLike(params, 0, layers);
    StagePass.backward(model, params, wholeGrads, 0, layers, dLoss, batch, whole);

    for (int cut1 = 1; cut1 < layers; cut1++) {
      for (int cut2 = cut1 + 1; cut2 <= layers; cut2++) {
        int[] cuts = cut2 == layers ? new int[] {0, cut1, layers} : new int[] {0, cut1, cut2, layers};
        float[][] grads = LayerVectors.zerosLike(params, 0, layers);
        @SuppressWarnings("unchecked")
        List<Layer.Forward>[] saved = new List[cuts.length - 1];
        float[] activation = null;
        for (int s = 0; s < saved.length; s++) {
          saved[s] = StagePass.forward(model, params, cuts[s], cuts[s + 1], activation, batch, ctx);
          activation = saved[s].get(saved[s].size() - 1).output();
        }
        assertArrayEquals(whole.get(layers - 1).output(), activation);
        float[] d = dLoss;
        for (int s = saved.length - 1; s >= 0; s--) {
          d = StagePass.backward(model, params, grads, cuts[s], cuts[s + 1], d, batch, saved[s]);
        }
        for (int l = 0; l < layers; l++) {
          assertArrayEquals(wholeGrads[l], grads[l], "layer " + l + " with cuts " + java.util.Arrays.toString(cuts));
        }
      }
    }
  }

  @Test
  void aMicroBatchDependsOnlyOnSeedStepAndId() {
    BatchSampler a = new BatchSampler(TinyRuns.CORPUS, 5, 4, 16);
    BatchSampler b = new BatchSampler(TinyRuns.CORPUS, 5, 4, 16);
    MicroBatch late = b.train(9, 3);
    b.train(2, 0);
    assertArrayEquals(late.tokens(), a.train(9, 3).tokens());
    assertArrayEquals(late.targets(), a.train(9, 3).targets());
  }
}
