package io.elaswave.actors.scheduler;

import io.elaswave.engine.optim.GradClip;
import io.elaswave.engine.param.BlockRef;
import io.elaswave.engine.param.Digest;
import io.elaswave.engine.param.ParamBlocks;
import io.elaswave.planner.BlockId;
import io.elaswave.planner.Layout;
import io.elaswave.planner.RankId;
import io.elaswave.planner.frequency.PowerModel;
import io.elaswave.planner.measure.RankSample;
import io.elaswave.protocol.runtime.BlockDigest;
import io.elaswave.protocol.runtime.DriverMessage;
import io.elaswave.protocol.runtime.SchedulerMessage.ComputeReport;
import io.elaswave.protocol.runtime.BlockNorm;
import io.elaswave.protocol.runtime.SchedulerMessage.LossReport;
import io.elaswave.protocol.runtime.SchedulerMessage.NormReport;
import io.elaswave.protocol.runtime.SchedulerMessage.StepDone;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the scheduler collects for one step: the loss sum of every micro-batch id, the gradient
 * sum of squares of every block, and every rank's digests after the update. Loss and norm are
 * folded in canonical order (ids ascending; blocks in (layer, block) order), exactly as the
 * reference trainer folds them.
 */
final class StepTransaction {
  final long step;
  final long startedAtMillis; // the scheduler's wall clock when RunStep went out
  private final Layout layout;
  private final ParamBlocks blocks;
  private final Double[] lossSums;
  private final Map<BlockId, Double> norms = new HashMap<>();
  private final Map<BlockId, Long> digests = new HashMap<>();
  private final Set<RankId> normed = new HashSet<>();
  private final Set<RankId> done = new HashSet<>();
  private final Map<RankId, ComputeReport> compute = new java.util.TreeMap<>();
  private long bytes;
  private long messages;
  private long staleDropped;
  private long snapshotBytes;
  private boolean updateSent;
  boolean recording; // the commit is being written to the ledger
  long recordingSinceMillis;

  StepTransaction(long step, Layout layout, ParamBlocks blocks, long startedAtMillis) {
    this.step = step;
    this.startedAtMillis = startedAtMillis;
    this.layout = layout;
    this.blocks = blocks;
    this.lossSums = new Double[layout.microBatches()];
  }

  void add(LossReport r) {
    for (int i = 0; i < r.lossSums().length; i++) {
      lossSums[r.firstId() + i] = r.lossSums()[i];
    }
  }

  void add(NormReport r) {
    for (BlockNorm n : r.norms()) {
      norms.put(new BlockId(n.layer(), n.block()), n.sumOfSquares());
    }
    normed.add(r.rank());
  }

  void add(StepDone r) {
    for (BlockDigest d : r.digests()) {
      digests.put(new BlockId(d.layer(), d.block()), d.digest());
    }
    bytes += r.traffic().bytes();
    messages += r.traffic().messages();
    staleDropped += r.traffic().staleDropped();
    snapshotBytes += r.traffic().snapshotBytes();
    done.add(r.rank());
    compute.put(r.rank(), r.compute());
  }

  /**
   * Each rank's measured time per layer and micro-batch at its node's nominal clock (ranks that
   * measured nothing left out): a kernel at clock f took 1/f as long, so the time × f is what
   * the partition and the clock planner reason with, and a clock the scheduler lowered never
   * reads as a slow rank.
   */
  List<RankSample> samples() {
    List<RankSample> out = new java.util.ArrayList<>();
    compute.forEach((rank, c) -> {
      int layers = c.forwardNanos().length;
      if (c.microBatches() > 0 && layers > 0) {
        double[] ms = new double[layers];
        for (int i = 0; i < layers; i++) {
          ms[i] = (c.forwardNanos()[i] + c.backwardNanos()[i]) / 1e6 / c.microBatches() * c.clock();
        }
        out.add(new RankSample(rank, c.layerFrom(), ms, c.activationBytes()));
      }
    });
    return out;
  }

  /**
   * The step's modelled energy, joules: every working rank's device is on for the step's wall
   * time and computes for its kernel time, at its node's clock ({@link PowerModel#joules}). The
   * wall time is the scheduler's millisecond clock, coarser than the ranks' kernel nanos: a device
   * is on at least as long as it computed, so a step measured shorter than a rank's kernels counts
   * those kernels' time.
   */
  double energyJoules(double stepMillis, io.elaswave.planner.frequency.PowerModel power) {
    double joules = 0;
    for (ComputeReport c : compute.values()) {
      double busy = c.kernelNanos() / 1e9;
      joules += power.joules(c.clock(), busy, Math.max(stepMillis / 1e3, busy));
    }
    return joules;
  }

  /** Each working rank's kernel time in the step at its node's clock. */
  List<DriverMessage.RankBusy> busy() {
    List<DriverMessage.RankBusy> out = new java.util.ArrayList<>();
    compute.forEach((rank, c) -> {
      if (layout.contains(rank)) {
        var stage = layout.stageOf(rank);
        out.add(new DriverMessage.RankBusy(rank.value(), stage.replica(), stage.stage(), layout.nodeOf(rank).name(),
            c.clock(), c.kernelNanos() / 1e6));
      }
    });
    return out;
  }

  /** Where the step's time went, the slowest rank per phase; {@code stepMillis} and {@code ledgerMillis} from here. */
  DriverMessage.StepPhases phases(double stepMillis, double ledgerMillis) {
    double kernel = 0;
    double comp = 0;
    double reduce = 0;
    double update = 0;
    double gather = 0;
    double gc = 0;
    for (ComputeReport c : compute.values()) {
      kernel = Math.max(kernel, c.kernelNanos() / 1e6);
      comp = Math.max(comp, c.computeMicros() / 1e3);
      reduce = Math.max(reduce, c.reduceMicros() / 1e3);
      update = Math.max(update, c.updateMicros() / 1e3);
      gather = Math.max(gather, c.gatherMicros() / 1e3);
      gc = Math.max(gc, c.gcMillis());
    }
    return new DriverMessage.StepPhases(stepMillis, kernel, comp, reduce, update, gather, ledgerMillis, gc);
  }

  /** The ranks of the layout that have not reported StepDone yet. */
  Set<RankId> notDone() {
    Set<RankId> out = new java.util.TreeSet<>(layout.rankIds());
    out.removeAll(done);
    return out;
  }

  /** Every loss and every block norm is in, and the update has not gone out yet. */
  boolean readyForUpdate() {
    return !updateSent && normed.size() == layout.ranks().size() && lossesIn() && norms.size() == blocks.all().size();
  }

  /** A loss sum for every id some replica runs (all G unless a policy dropped a replica's ids). */
  private boolean lossesIn() {
    for (var range : layout.microBatchRanges()) {
      for (int id = range.from(); id < range.to(); id++) {
        if (lossSums[id] == null) {
          return false;
        }
      }
    }
    return true;
  }

  void markUpdateSent() {
    updateSent = true;
  }

  boolean complete() {
    return done.size() == layout.ranks().size() && digests.size() == blocks.all().size();
  }

  /** Σ over ids in order of the loss sums, divided by the step's tokens. */
  float loss(long tokensPerStep) {
    double sum = 0.0;
    for (Double s : lossSums) {
      sum += s == null ? 0.0 : s; // an id no replica ran (a dropped replica's) adds nothing
    }
    return (float) (sum / tokensPerStep);
  }

  double gradNorm() {
    List<BlockRef> all = blocks.all();
    double[] sums = new double[all.size()];
    for (int i = 0; i < sums.length; i++) {
      sums[i] = norms.get(new BlockId(all.get(i).layer(), all.get(i).block()));
    }
    return GradClip.norm(sums);
  }

  long digest() {
    List<BlockRef> all = blocks.all();
    long[] d = new long[all.size()];
    for (int i = 0; i < d.length; i++) {
      d[i] = digests.get(new BlockId(all.get(i).layer(), all.get(i).block()));
    }
    return Digest.combine(d);
  }

  /** The digest of every block after the step, for verifying state moved by a later re-plan. */
  Map<BlockId, Long> blockDigests() {
    return Map.copyOf(digests);
  }

  long bytes() {
    return bytes;
  }

  long staleDropped() {
    return staleDropped;
  }

  long snapshotBytes() {
    return snapshotBytes;
  }

  long messages() {
    return messages;
  }
}
