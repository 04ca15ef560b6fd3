package io.elaswave.actors.rank;

import io.elaswave.engine.model.Layer;
import io.elaswave.engine.model.MicroBatch;
import io.elaswave.engine.model.StepContext;
import io.elaswave.engine.param.BlockRef;
import io.elaswave.engine.reduce.TreeNode;
import io.elaswave.engine.train.LayerVectors;
import io.elaswave.engine.train.StagePass;
import io.elaswave.planner.RankId;
import io.elaswave.planner.schedule.PipelineOp;
import io.elaswave.protocol.FloatTensor;
import io.elaswave.protocol.fault.Fault;
import io.elaswave.protocol.runtime.BlockPartial;
import io.elaswave.protocol.runtime.GroupMessage;
import io.elaswave.protocol.runtime.RankMessage;
import io.elaswave.protocol.runtime.RankMessage.Activation;
import io.elaswave.protocol.runtime.RankMessage.ActivationGrad;
import io.elaswave.protocol.runtime.SchedulerMessage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The compute half of a step on the layers this rank holds: 1F1B over the replica's micro-batches
 * (each op runs once its input is in), then the reduce-scatter of the reduction-tree node sums to
 * the blocks' owners; the last stage reports the loss sums.
 */
final class PipelineStage {
  private final RankState s;
  private final LayerGroups groups;
  private final RankFaults faults;
  private final ShardUpdate update;
  private final PieceSender pieces;
  private final PieceAssembly assembly;

  /** @param pieceWindow pieces of one large activation in flight at once (see {@link PieceSender}) */
  PipelineStage(RankState s, LayerGroups groups, RankFaults faults, ShardUpdate update, int pieceWindow) {
    this.s = s;
    this.groups = groups;
    this.faults = faults;
    this.update = update;
    this.pieces = new PieceSender(s.id(), s.settings.maxFloatsPerMessage(), pieceWindow);
    int activationFloats = Math.toIntExact(s.tokensPerMicroBatch * s.model.config().dim());
    // a rank receives at most every micro-batch of its replica in each direction at once
    this.assembly = new PieceAssembly(activationFloats, 2 * s.config.microBatches());
  }

  /** Starts {@code step}; false (and nothing changed) if this rank is not ready to run it. */
  boolean start(RankMessage.RunStep m) {
    if (!s.currentEpoch(m.epoch()) || s.phase instanceof RankPhase.Reconfiguring || s.onStandby()) {
      return false;
    }
    if (m.step() != s.doneStep + 1) {
      s.log.warn("rank {} asked to run step {} after finishing {}", s.id(), m.step(), s.doneStep);
      return false;
    }
    s.rollback = null; // step doneStep is committed: the scheduler only starts a step after a commit
    pieces.forgetBefore(m.epoch());
    assembly.forget(m.epoch(), s.doneStep);
    int replica = s.stage.replica();
    s.phase = new RankPhase.Stepping(new StepRun(m.step(), s.stage.stage(), s.layout.stageCount(replica),
        s.layout.microBatchesOf(replica), s.tree, s.remoteBlockCount(), s.stage.layerFrom(), s.stage.layerTo()));
    return true;
  }

  void onActivation(Activation a) {
    s.run().activations.put(a.microBatch(), a.data().values());
    advance();
  }

  void onActivationGrad(ActivationGrad g) {
    s.run().activationGrads.put(g.microBatch(), g.data().values());
    advance();
  }

  /** A piece of a large activation: credited to its sender; the last one delivers the whole. */
  void onPiece(RankMessage.ActivationPiece p) {
    if (!s.directory.containsKey(p.from())) {
      s.log.warn("rank {} refuses a piece from {}: no rank of its layout", s.id(), p.from());
      return;
    }
    PieceAssembly.Outcome outcome = assembly.accept(p);
    if (outcome instanceof PieceAssembly.Outcome.Partial) {
      s.directory.get(p.from()).control().tell(new RankMessage.PieceCredit(p.epoch(), p.chunk().opId()));
    } else if (outcome instanceof PieceAssembly.Outcome.Complete c && c.message() instanceof Activation a) {
      onActivation(a);
    } else if (outcome instanceof PieceAssembly.Outcome.Complete c && c.message() instanceof ActivationGrad g) {
      onActivationGrad(g);
    } else if (outcome instanceof PieceAssembly.Outcome.Refused r) {
      s.log.warn("rank {} refuses {}", s.id(), r.reason());
    }
  }

  /** The receiver took a piece: send the next of that activation. */
  void onPieceCredit(RankMessage.PieceCredit c) {
    pieces.credited(c);
  }

  /** Runs every op whose input is in, in schedule order; after the last, sends the gradients out. */
  void advance() {
    StepRun run = s.run();
    while (!run.ops.isEmpty() && tryRun(run, run.ops.peek())) {
      run.ops.poll();
    }
    if (run.computeDone() && !run.reduceSent) {
      run.meter.markComputeDone();
      reduceScatter(run);
      run.reduceSent = true;
      update.maybeReportNorms();
    }
  }

  private boolean tryRun(StepRun run, PipelineOp op) {
    return op.kind() == PipelineOp.Kind.FORWARD ? forward(run, op.microBatch()) : backward(run, op.microBatch());
  }

  private boolean forward(StepRun run, int id) {
    float[] input = null;
    if (!s.firstStage()) {
      input = run.activations.remove(id);
      if (input == null) {
        return false;
      }
    }
    MicroBatch batch = s.sampler.train(run.step, id);
    StepContext ctx = new StepContext(s.config.seed(), run.step, true);
    List<Layer.Forward> saved = new ArrayList<>(s.stage.layerTo() - s.stage.layerFrom());
    float[] out = input;
    for (int l = s.stage.layerFrom(); l < s.stage.layerTo(); l++) { // one layer at a time, to time each
      long t = ComputeMeter.now();
      long held = s.model.arena().heldBytes();
      Layer.Forward f = StagePass.forward(s.model, s.params, l, l + 1, out, batch, ctx).get(0);
      run.meter.forwardDone(l, t, held, s.model.arena().heldBytes());
      saved.add(f);
      out = f.output();
    }
    if (s.lastStage()) {
      run.lossSums[id - run.range.from()] = StagePass.lossSum(out);
    } else {
      s.traffic.sent(out.length);
      send(s.layout.nextRank(s.id()).orElseThrow(), new Activation(s.layout.epoch(), run.step, id,
          new FloatTensor(out)));
    }
    run.saved.put(id, saved);
    run.batches.put(id, batch);
    return true;
  }

  private boolean backward(StepRun run, int id) {
    MicroBatch batch = run.batches.get(id);
    float[] dOut = s.lastStage() ? StagePass.lossGradient(batch, s.tokensPerStep()) : run.activationGrads.remove(id);
    if (dOut == null) {
      return false;
    }
    Fault.RankError error = faults.errorIn(run.step);
    if (error != null) { // fault injection: fail the actor, as a bug in backward would
      s.log.warn("rank {} carries out injected fault {}", s.id(), error.text());
      throw new RuntimeException("injected fault " + error.text());
    }
    int from = s.stage.layerFrom();
    int to = s.stage.layerTo();
    float[][] grads = LayerVectors.zerosLike(s.params, from, to, s.model.arena());
    List<Layer.Forward> saved = run.saved.remove(id);
    float[] dIn = dOut;
    for (int l = to - 1; l >= from; l--) { // the order StagePass.backward takes, one layer at a time
      long t = ComputeMeter.now();
      dIn = StagePass.backwardLayer(s.model, s.params, grads, from, to, l, dIn, batch, saved.get(l - from),
          l > from ? saved.get(l - from - 1) : null);
      run.meter.backwardDone(l, t);
    }
    run.batches.remove(id);
    run.gradients.add(id, LayerVectors.concatAndGive(grads, from, to, s.model.arena()));
    if (!s.firstStage()) {
      s.traffic.sent(dIn.length);
      send(s.layout.prevRank(s.id()).orElseThrow(), new ActivationGrad(s.layout.epoch(), run.step, id,
          new FloatTensor(dIn)));
    }
    return true;
  }

  /** Cuts the cover-node sums of this stage's layers into blocks and sends them to their owners. */
  private void reduceScatter(StepRun run) {
    Map<TreeNode, float[]> sums = run.gradients.result();
    int offset = 0;
    for (int l = s.stage.layerFrom(); l < s.stage.layerTo(); l++) {
      List<BlockPartial> partials = new ArrayList<>();
      for (BlockRef b : s.paramBlocks.blocks(l)) {
        for (Map.Entry<TreeNode, float[]> e : sums.entrySet()) {
          float[] slice = Arrays.copyOfRange(e.getValue(), offset + b.from(), offset + b.to());
          partials.add(new BlockPartial(l, b.block(), e.getKey().lo(), e.getKey().hi(), new FloatTensor(slice)));
        }
      }
      groups.tell(l, new GroupMessage.ReduceScatter(s.layout.epoch(), run.step, partials));
      offset += s.params[l].length;
    }
    if (s.lastStage()) {
      s.scheduler.tell(new SchedulerMessage.LossReport(s.layout.epoch(), run.step, run.range.from(), run.lossSums));
    }
  }

  private void send(RankId neighbour, RankMessage.DataMessage m) {
    pieces.send(s.directory.get(neighbour).inbox(), m);
  }
}
