package io.elaswave.planner.elastic;

import io.elaswave.engine.param.ParamBlocks;
import io.elaswave.planner.Layout;
import io.elaswave.planner.RankId;
import io.elaswave.planner.StageAssignment;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The state that must move from the old layout to the next one, as disjoint rank-to-rank
 * transfers (each block's parameters reach each new holder once; each block's moments reach its
 * new owner once). Sources, in order of preference: the block's old owner if alive, another live
 * old holder of the layer, and last the lost owner's snapshot at its buddy.
 */
public final class TransferPlan {
  private TransferPlan() {}

  /** @throws IllegalStateException when some state lives only on lost ranks (rank and buddy both gone) */
  public static List<Transfer> between(Layout old, Layout next, Set<RankId> lost, Map<RankId, RankId> oldBuddies,
      ParamBlocks blocks) {
    BitSet gone = new BitSet(); // by rank id: asked once per block moved, 10^5 times at 10^5 ranks
    lost.forEach(r -> gone.set(r.value()));
    List<Transfer> out = new ArrayList<>();
    for (StageAssignment s : next.stages()) {
      StageAssignment before = old.contains(s.rank()) ? old.stageOf(s.rank()) : null;
      for (int l = s.layerFrom(); l < s.layerTo(); l++) {
        if (before != null && before.holds(l)) {
          continue;
        }
        for (int b = 0; b < blocks.blocks(l).size(); b++) {
          out.add(paramsSource(old, gone, oldBuddies, s.rank(), l, b));
        }
      }
    }
    for (int l = 0; l < blocks.layerCount(); l++) {
      for (int b = 0; b < blocks.blocks(l).size(); b++) {
        RankId before = old.ownerOfBlock(l, b);
        RankId after = next.ownerOfBlock(l, b);
        if (before != after && !before.equals(after)) { // most owners are the same instance
          RankId from = gone.get(before.value()) ? liveBuddy(oldBuddies, gone, before, l, b) : before;
          out.add(new Transfer(from, after, l, b, Transfer.Kind.MOMENTS, before));
        }
      }
    }
    return out;
  }

  private static Transfer paramsSource(Layout old, BitSet gone, Map<RankId, RankId> buddies, RankId to,
      int layer, int block) {
    RankId owner = old.ownerOfBlock(layer, block);
    if (!gone.get(owner.value()) && !owner.equals(to)) {
      return new Transfer(owner, to, layer, block, Transfer.Kind.PARAMS, owner);
    }
    for (RankId holder : old.holdersOfLayer(layer)) {
      if (!gone.get(holder.value()) && !holder.equals(to)) {
        return new Transfer(holder, to, layer, block, Transfer.Kind.PARAMS, holder);
      }
    }
    return new Transfer(liveBuddy(buddies, gone, owner, layer, block), to, layer, block, Transfer.Kind.PARAMS, owner);
  }

  private static RankId liveBuddy(Map<RankId, RankId> buddies, BitSet gone, RankId owner, int layer, int block) {
    RankId buddy = buddies.get(owner);
    if (buddy == null || gone.get(buddy.value())) {
      throw new IllegalStateException("block " + layer + "/" + block + " of lost rank " + owner
          + " is unrecoverable: its snapshot buddy " + buddy + " is lost too");
    }
    return buddy;
  }
}
