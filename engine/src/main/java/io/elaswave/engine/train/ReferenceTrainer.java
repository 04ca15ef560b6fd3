package io.elaswave.engine.train;

import io.elaswave.engine.data.BatchSampler;
import io.elaswave.engine.data.Corpus;
import io.elaswave.engine.model.Arena;
import io.elaswave.engine.model.Layer;
import io.elaswave.engine.model.MicroBatch;
import io.elaswave.engine.model.Model;
import io.elaswave.engine.model.StepContext;
import io.elaswave.engine.optim.AdamW;
import io.elaswave.engine.param.Digest;
import io.elaswave.engine.param.ParamBlocks;
import io.elaswave.engine.reduce.RangeAccumulator;
import io.elaswave.engine.reduce.ReductionTree;
import java.util.List;

/**
 * The oracle (DESIGN.md §6): one thread, no actors. Per step, micro-batches 0..G−1 in order,
 * each micro-batch's gradient a leaf of the canonical reduction tree, then clipping and AdamW
 * over canonical blocks.
 */
public final class ReferenceTrainer {
  private final TrainConfig config;
  private final Model model;
  private final ParamBlocks blocks;
  private final BatchSampler sampler;
  private final ReductionTree tree;
  private final OptimizerStep optimizer;
  private final long tokensPerStep;

  public ReferenceTrainer(TrainConfig config, Corpus corpus) {
    this.config = config;
    this.model = new Model(config.modelConfig(corpus.vocab().size()));
    this.blocks = paramBlocks(model);
    this.sampler = new BatchSampler(corpus, config.seed(), config.microBatchSize(), model.config().seqLen());
    this.tree = new ReductionTree(config.microBatches());
    this.optimizer = new OptimizerStep(model, blocks, new AdamW(config.adamW()));
    this.tokensPerStep = config.tokensPerStep(model.config().seqLen());
  }

  /** The canonical block map of a model. */
  public static ParamBlocks paramBlocks(Model model) {
    int[] sizes = new int[model.layerCount()];
    for (int l = 0; l < sizes.length; l++) {
      sizes[l] = model.layer(l).paramCount();
    }
    return new ParamBlocks(model.config().paramBlockSize(), sizes);
  }

  public Model model() {
    return model;
  }

  public ParamBlocks blocks() {
    return blocks;
  }

  public TrainConfig config() {
    return config;
  }

  public TrainState initialState() {
    return TrainState.fresh(model.initParams(config.seed()));
  }

  /** The results of steps 1..{@code steps} from a fresh state: what every distributed run must reproduce. */
  public List<StepResult> run(int steps) {
    TrainState state = initialState();
    List<StepResult> out = new java.util.ArrayList<>(steps);
    for (int i = 0; i < steps; i++) {
      StepResult r = step(state);
      state = state.atStep(r.step());
      out.add(r);
    }
    return out;
  }

  /** Runs the next step on {@code state} in place and returns its result. */
  public StepResult step(TrainState state) {
    long step = state.step() + 1;
    StepContext ctx = new StepContext(config.seed(), step, true);
    int layers = model.layerCount();
    Arena arena = model.arena();
    RangeAccumulator grads = new RangeAccumulator(tree, 0, config.microBatches(), arena::give);
    double lossSum = 0.0;
    for (int k = 0; k < config.microBatches(); k++) {
      MicroBatch batch = sampler.train(step, k);
      List<Layer.Forward> saved = StagePass.forward(model, state.params(), 0, layers, null, batch, ctx);
      lossSum += StagePass.lossSum(saved.get(layers - 1).output());
      float[][] leaf = LayerVectors.zerosLike(state.params(), 0, layers, arena);
      StagePass.backward(model, state.params(), leaf, 0, layers, StagePass.lossGradient(batch, tokensPerStep),
          batch, saved);
      grads.add(k, LayerVectors.concatAndGive(leaf, 0, layers, arena));
    }
    float[] total = grads.result().get(tree.root());
    float lr = config.schedule().at(step);
    double norm = optimizer.apply(state, total, step, lr);
    arena.give(total);
    long digest = Digest.ofModel(blocks, state.params());
    float loss = (float) (lossSum / tokensPerStep);
    return new StepResult(step, loss, digest, lr, norm, tokensPerStep);
  }

  /** Mean validation loss over the fixed validation batches, without dropout. */
  public float evaluate(TrainState state) {
    StepContext ctx = StepContext.eval(config.seed());
    int layers = model.layerCount();
    double sum = 0.0;
    long tokens = 0;
    for (int i = 0; i < config.evalBatches(); i++) {
      MicroBatch batch = sampler.validation(i);
      List<Layer.Forward> saved = StagePass.forward(model, state.params(), 0, layers, null, batch, ctx);
      sum += StagePass.lossSum(saved.get(layers - 1).output());
      StagePass.release(model, 0, saved);
      tokens += batch.rows();
    }
    return (float) (sum / tokens);
  }
}
