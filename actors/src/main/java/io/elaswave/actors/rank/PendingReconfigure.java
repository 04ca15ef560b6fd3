package io.elaswave.actors.rank;

import io.elaswave.planner.BlockId;
import io.elaswave.protocol.runtime.MovedBlock;
import io.elaswave.protocol.runtime.RankMessage;
import java.util.HashMap;
import java.util.Map;

/** A layout change in progress at one rank: the order and the state received so far. */
final class PendingReconfigure {
  final RankMessage.Reconfigure order;
  final int expected;
  final Map<BlockId, MovedBlock> params = new HashMap<>();
  final Map<BlockId, MovedBlock> moments = new HashMap<>();

  PendingReconfigure(RankMessage.Reconfigure order, int expected) {
    this.order = order;
    this.expected = expected;
  }

  void add(MovedBlock b) {
    BlockId id = new BlockId(b.layer(), b.block());
    var into = b.kind() == io.elaswave.planner.elastic.Transfer.Kind.PARAMS ? params : moments;
    if (into.put(id, b) != null) {
      throw new IllegalArgumentException("block " + id + " " + b.kind() + " arrived twice");
    }
  }

  boolean complete() {
    return params.size() + moments.size() == expected;
  }

  long epoch() {
    return order.next().epoch();
  }
}
