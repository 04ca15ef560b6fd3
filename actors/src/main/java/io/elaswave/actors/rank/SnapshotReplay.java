package io.elaswave.actors.rank;

import io.elaswave.engine.model.ParamTensor;
import io.elaswave.engine.optim.AdamW;
import io.elaswave.engine.optim.Slice;
import io.elaswave.engine.param.BlockRef;
import io.elaswave.engine.param.Digest;
import io.elaswave.protocol.FloatTensor;
import io.elaswave.protocol.runtime.StateBlock;
import java.util.List;

/**
 * A buddy's copy of a block, advanced by one step from the owner's reduced gradient: the same
 * {@link AdamW#update} on the same floats as the owner's, so the same bits (DESIGN §6). A copy
 * without parameters (the layer lives in other replicas too) advances its moments alone, which
 * never read the parameters. Checksums cover what a copy keeps: parameters if any, m, v.
 */
final class SnapshotReplay {
  private SnapshotReplay() {}

  static StateBlock advance(StateBlock base, float[] grad, BlockRef ref, List<ParamTensor> tensors, AdamW adamW,
      AdamW.StepScalars scalars) {
    if (grad.length != ref.size() || base.m().length() != ref.size()) {
      throw new IllegalArgumentException("block " + ref + " does not fit its snapshot or gradient");
    }
    boolean withParams = base.params().length() > 0;
    float[] p = withParams ? base.params().values().clone() : new float[ref.size()]; // scratch: m and v never read it
    float[] m = base.m().values().clone();
    float[] v = base.v().values().clone();
    adamW.update(new Slice(p, ref.from()), new Slice(grad, ref.from()), new Slice(m, ref.from()),
        new Slice(v, ref.from()), tensors, ref.from(), ref.to(), scalars);
    return new StateBlock(base.layer(), base.block(), withParams ? new FloatTensor(p) : base.params(),
        new FloatTensor(m), new FloatTensor(v));
  }

  /** A step's replay of an owner's kept blocks: every block advanced and checked, or what went wrong. */
  record Outcome(List<StateBlock> blocks, String problem) {}

  /**
   * Advances each block named in {@code checksums} from {@code pool}'s copy of {@code step − 1}
   * by its gradient and checks it; the first block that cannot be advanced or differs names the
   * problem, and nothing is kept.
   */
  static Outcome replayStep(SnapshotPool pool, io.elaswave.planner.RankId ofRank, long step,
      java.util.Map<io.elaswave.planner.BlockId, float[]> grads, List<io.elaswave.protocol.runtime.BlockDigest> checksums,
      RankState s, AdamW.StepScalars scalars) {
    java.util.ArrayList<StateBlock> next = new java.util.ArrayList<>();
    for (io.elaswave.protocol.runtime.BlockDigest c : checksums) {
      StateBlock base = pool.base(ofRank, step - 1, c.layer(), c.block());
      float[] g = grads.get(new io.elaswave.planner.BlockId(c.layer(), c.block()));
      if (base == null || g == null) {
        return new Outcome(List.of(), "block " + c.layer() + "/" + c.block() + ": "
            + (base == null ? "no copy of step " + (step - 1) : "no gradient"));
      }
      BlockRef ref = s.paramBlocks.blocks(c.layer()).get(c.block());
      StateBlock b = advance(base, g, ref, s.model.layer(c.layer()).tensors(), s.adamW, scalars);
      if (checksum(b) != c.digest()) {
        return new Outcome(List.of(), "block " + c.layer() + "/" + c.block() + ": replayed state differs from the owner's");
      }
      next.add(b);
    }
    for (int i = 0; i < next.size(); i++) {
      pool.putChecked(ofRank, step, next.get(i), checksums.get(i).digest());
    }
    return new Outcome(next, null);
  }

  /** The checksum of a kept block. */
  static long checksum(StateBlock b) {
    float[] p = b.params().values();
    return checksum(p.length > 0 ? p : null, 0, p.length, b.m().values(), b.v().values());
  }

  /** The checksum of {@code params[from, to)} (null: not kept), then m, then v. */
  static long checksum(float[] params, int from, int to, float[] m, float[] v) {
    long pm = Digest.ofRange(m, 0, m.length);
    long pv = Digest.ofRange(v, 0, v.length);
    return params == null ? Digest.combine(new long[] {pm, pv})
        : Digest.combine(new long[] {Digest.ofRange(params, from, to), pm, pv});
  }
}
