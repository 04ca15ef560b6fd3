package io.elaswave.actors.rank;

import io.elaswave.protocol.fault.Fault;
import io.elaswave.protocol.runtime.RankMessage;
import java.util.OptionalLong;

/**
 * A fault armed on this rank, for fault-injection runs. An error fires once, in the first
 * backward operation of its step; a hang fires on the first message of its step or a later one.
 */
final class RankFaults {
  private Fault.RankFault armed;

  void arm(Fault.RankFault fault) {
    armed = fault;
  }

  /** True if {@code m} belongs to the armed hang's step or a later one: the rank goes silent. */
  boolean hangsOn(RankMessage m) {
    if (!(armed instanceof Fault.RankHang hang)) {
      return false;
    }
    OptionalLong step = stepOf(m);
    return step.isPresent() && step.getAsLong() >= hang.step();
  }

  Fault.RankFault armed() {
    return armed;
  }

  /** Disarms and returns the armed error if it strikes in a backward pass of {@code step}, else null. */
  Fault.RankError errorIn(long step) {
    if (armed instanceof Fault.RankError error && error.step() == step) {
      armed = null;
      return error;
    }
    return null;
  }

  /** The step a message is part of, if it carries one (a checkpoint load is not part of a step). */
  static OptionalLong stepOf(RankMessage m) {
    if (m instanceof RankMessage.RunStep r) {
      return OptionalLong.of(r.step());
    } else if (m instanceof RankMessage.ApplyUpdate u) {
      return OptionalLong.of(u.step());
    } else if (m instanceof RankMessage.GatherSent g) {
      return OptionalLong.of(g.step());
    } else if (m instanceof RankMessage.SnapshotStored s) {
      return OptionalLong.of(s.step());
    } else if (m instanceof RankMessage.SnapshotPut p) {
      return OptionalLong.of(p.step());
    } else if (m instanceof RankMessage.Activation || m instanceof RankMessage.ActivationGrad
        || m instanceof RankMessage.GradPartials || m instanceof RankMessage.BlockUpdates) {
      return OptionalLong.of(DataGate.stepOf((RankMessage.DataMessage) m));
    }
    return OptionalLong.empty();
  }
}
