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
