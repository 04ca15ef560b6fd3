package io.elaswave.actors.rank;

import io.elaswave.protocol.runtime.RankMessage.Activation;
import io.elaswave.protocol.runtime.RankMessage.ActivationGrad;
import io.elaswave.protocol.runtime.RankMessage.BlockUpdates;
import io.elaswave.protocol.runtime.RankMessage.DataMessage;
import io.elaswave.protocol.runtime.RankMessage.GradPartials;
import io.elaswave.protocol.runtime.RankMessage;
import io.elaswave.protocol.runtime.RankMessage.SnapshotPut;
import io.elaswave.protocol.runtime.RankMessage.StateTransfer;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * Decides what a rank does with a tensor from a peer, given where the rank is: drop it (stale,
 * counted), hold it until the rank gets there, or deliver it now. Held messages are replayed, in
 * arrival order, whenever the rank moves on (a new layout, a new step, its own update).
 */
final class DataGate {
  /** What to do with a tensor message. */
  enum Verdict { DROP, HOLD, DELIVER }

  /**
   * The rank as the gate sees it: the epoch of its layout and of the layout it is moving to (if
   * any), the last step it finished, and the running step with whether its reduce-scatter is out.
   */
  record GateState(OptionalLong layoutEpoch, OptionalLong reconfiguringEpoch, long doneStep, OptionalLong runStep,
      boolean reduceSent) {}

  private final List<DataMessage> held = new ArrayList<>();

  static Verdict classify(DataMessage m, GateState s) {
    if (s.layoutEpoch().isEmpty()) {
      if (s.reconfiguringEpoch().isEmpty()) {
        return Verdict.HOLD; // a peer is ahead of this rank's first layout
      }
      if (!(m instanceof StateTransfer)) {
        return Verdict.HOLD; // a joining rank takes nothing but its state until it holds a layout
      }
    }
    long current = s.reconfiguringEpoch().isPresent() ? s.reconfiguringEpoch().getAsLong()
        : s.layoutEpoch().getAsLong();
    if (m.epoch() < current) {
      return Verdict.DROP;
    }
    if (m instanceof StateTransfer) { // held until the Reconfigure that announces it arrives
      return s.reconfiguringEpoch().isPresent() && m.epoch() == current ? Verdict.DELIVER : Verdict.HOLD;
    }
    if (s.reconfiguringEpoch().isPresent() || m.epoch() > current) {
      return Verdict.HOLD; // sent under a layout this rank has not taken yet
    }
    if (m instanceof SnapshotPut || m instanceof RankMessage.SnapshotGrads || m instanceof RankMessage.SnapshotApply
        || m instanceof RankMessage.ShadowState || m instanceof RankMessage.ShadowGrads
        || m instanceof RankMessage.ShadowApply) {
      return Verdict.DELIVER; // a buddy's snapshot or a migration's shadow belongs to no step of this rank
    }
    long step = stepOf(m);
    if (step <= s.doneStep()) {
      return Verdict.DROP;
    }
    if (s.runStep().isEmpty() || step > s.runStep().getAsLong() || (m instanceof BlockUpdates && !s.reduceSent())) {
      return Verdict.HOLD; // peers' updates must not land before this rank's gradients left
    }
    return Verdict.DELIVER;
  }

  static long stepOf(DataMessage m) {
    if (m instanceof Activation a) {
      return a.step();
    } else if (m instanceof ActivationGrad g) {
      return g.step();
    } else if (m instanceof RankMessage.ActivationPiece p) {
      return p.step();
    } else if (m instanceof GradPartials p) {
      return p.step();
    } else if (m instanceof BlockUpdates u) {
      return u.step();
    }
    throw new IllegalArgumentException("no step in " + m.getClass().getSimpleName());
  }

  void hold(DataMessage m) {
    held.add(m);
  }

  /** Hands every held message to {@code redeliver} (the rank's own mailbox) and forgets them. */
  void replay(Consumer<DataMessage> redeliver) {
    List<DataMessage> ready = new ArrayList<>(held);
    held.clear();
    ready.forEach(redeliver);
  }

  int heldCount() {
    return held.size();
  }
}
