package io.elaswave.actors.rank;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.elaswave.actors.rank.DataGate.GateState;
import io.elaswave.actors.rank.DataGate.Verdict;
import io.elaswave.planner.RankId;
import io.elaswave.protocol.FloatTensor;
import io.elaswave.protocol.runtime.RankMessage.Activation;
import io.elaswave.protocol.runtime.RankMessage.ActivationGrad;
import io.elaswave.protocol.runtime.RankMessage.BlockUpdates;
import io.elaswave.protocol.runtime.RankMessage.DataMessage;
import io.elaswave.protocol.runtime.RankMessage.GradPartials;
import io.elaswave.protocol.runtime.RankMessage.SnapshotPut;
import io.elaswave.protocol.runtime.RankMessage.StateTransfer;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Every rule of the gate, in the order the gate applies them, and the replay of held messages. */
class DataGateTest {
  private static final OptionalLong NONE = OptionalLong.empty();

  private static GateState placed(long epoch, long doneStep) {
    return new GateState(OptionalLong.of(epoch), NONE, doneStep, NONE, false);
  }

  private static GateState stepping(long epoch, long step, boolean reduceSent) {
    return new GateState(OptionalLong.of(epoch), NONE, step - 1, OptionalLong.of(step), reduceSent);
  }

  private static GateState reconfiguring(OptionalLong layout, long to, long doneStep) {
    return new GateState(layout, OptionalLong.of(to), doneStep, NONE, false);
  }

  private static Activation activation(long epoch, long step) {
    return new Activation(epoch, step, 0, FloatTensor.of(1f));
  }

  private static StateTransfer transfer(long epoch) {
    return new StateTransfer(epoch, List.of());
  }

  private static SnapshotPut put(long epoch, long step) {
    return new SnapshotPut(epoch, step, RankId.of(1), null, List.of());
  }

  private static BlockUpdates updates(long epoch, long step) {
    return new BlockUpdates(epoch, step, List.of());
  }

  @Test
  void withoutALayoutEverythingWaits() {
    GateState unplaced = new GateState(NONE, NONE, 0, NONE, false);
    for (DataMessage m : List.of(activation(0, 1), transfer(0), put(0, 0), updates(0, 1))) {
      assertEquals(Verdict.HOLD, DataGate.classify(m, unplaced), m.toString());
    }
  }

  @Test
  void aJoiningRankTakesOnlyItsStateTransfers() {
    GateState joining = reconfiguring(NONE, 3, 2);
    assertEquals(Verdict.DELIVER, DataGate.classify(transfer(3), joining));
    assertEquals(Verdict.HOLD, DataGate.classify(transfer(4), joining));
    assertEquals(Verdict.DROP, DataGate.classify(transfer(2), joining));
    assertEquals(Verdict.HOLD, DataGate.classify(activation(3, 3), joining));
    assertEquals(Verdict.HOLD, DataGate.classify(put(3, 2), joining));
    assertEquals(Verdict.HOLD, DataGate.classify(activation(1, 3), joining)); // no epoch check before a layout
  }

  @Test
  void anOlderEpochIsDroppedAgainstTheLayoutOrTheOneBeingTaken() {
    assertEquals(Verdict.DROP, DataGate.classify(activation(1, 5), stepping(2, 5, false)));
    assertEquals(Verdict.DROP, DataGate.classify(put(1, 4), placed(2, 4)));
    assertEquals(Verdict.DROP, DataGate.classify(transfer(1), placed(2, 4)));
    // while moving from epoch 2 to 3, epoch 2 is already the past
    assertEquals(Verdict.DROP, DataGate.classify(activation(2, 5), reconfiguring(OptionalLong.of(2), 3, 4)));
    assertEquals(Verdict.DROP, DataGate.classify(put(2, 4), reconfiguring(OptionalLong.of(2), 3, 4)));
  }

  @Test
  void aStateTransferWaitsForItsReconfigure() {
    assertEquals(Verdict.HOLD, DataGate.classify(transfer(2), placed(2, 4))); // no change in progress
    assertEquals(Verdict.HOLD, DataGate.classify(transfer(3), placed(2, 4))); // its Reconfigure is late
    assertEquals(Verdict.HOLD, DataGate.classify(transfer(4), reconfiguring(OptionalLong.of(2), 3, 4)));
    assertEquals(Verdict.DELIVER, DataGate.classify(transfer(3), reconfiguring(OptionalLong.of(2), 3, 4)));
  }

  @Test
  void whileReconfiguringOrFromANewerEpochTensorsWait() {
    GateState moving = reconfiguring(OptionalLong.of(2), 3, 4);
    assertEquals(Verdict.HOLD, DataGate.classify(activation(3, 5), moving));
    assertEquals(Verdict.HOLD, DataGate.classify(put(3, 4), moving));
    assertEquals(Verdict.HOLD, DataGate.classify(activation(3, 5), stepping(2, 5, true)));
    assertEquals(Verdict.HOLD, DataGate.classify(put(3, 4), placed(2, 4)));
    assertEquals(Verdict.HOLD, DataGate.classify(activation(3, 1), placed(2, 4))); // newer epoch wins over stale step
  }

  @Test
  void aSnapshotOfTheCurrentEpochIsTakenWhateverItsStep() {
    assertEquals(Verdict.DELIVER, DataGate.classify(put(2, 1), placed(2, 4)));
    assertEquals(Verdict.DELIVER, DataGate.classify(put(2, 9), placed(2, 4)));
    assertEquals(Verdict.DELIVER, DataGate.classify(put(2, 5), stepping(2, 5, false)));
  }

  @Test
  void aFinishedStepIsStale() {
    for (DataMessage m : List.of(activation(2, 4), new ActivationGrad(2, 3, 0, FloatTensor.of(1f)),
        new GradPartials(2, 4, List.of()), updates(2, 4))) {
      assertEquals(Verdict.DROP, DataGate.classify(m, placed(2, 4)), m.toString());
      assertEquals(Verdict.DROP, DataGate.classify(m, stepping(2, 5, true)), m.toString());
    }
  }

  @Test
  void aLaterStepOrNoRunWaitsAndUpdatesWaitForThisRanksReduce() {
    assertEquals(Verdict.HOLD, DataGate.classify(activation(2, 5), placed(2, 4)));
    assertEquals(Verdict.HOLD, DataGate.classify(activation(2, 6), stepping(2, 5, false)));
    assertEquals(Verdict.HOLD, DataGate.classify(updates(2, 5), stepping(2, 5, false)));
    assertEquals(Verdict.DELIVER, DataGate.classify(updates(2, 5), stepping(2, 5, true)));
  }

  @Test
  void theRunningStepsTensorsAreDelivered() {
    GateState running = stepping(2, 5, false);
    assertEquals(Verdict.DELIVER, DataGate.classify(activation(2, 5), running));
    assertEquals(Verdict.DELIVER, DataGate.classify(new ActivationGrad(2, 5, 1, FloatTensor.of(1f)), running));
    assertEquals(Verdict.DELIVER, DataGate.classify(new GradPartials(2, 5, List.of()), running));
  }

  @Test
  void heldMessagesAreReplayedOnceInArrivalOrder() {
    DataGate gate = new DataGate();
    Activation first = activation(2, 5);
    BlockUpdates second = updates(2, 5);
    gate.hold(first);
    gate.hold(second);
    List<DataMessage> replayed = new ArrayList<>();
    gate.replay(m -> {
      replayed.add(m);
      gate.hold(m); // a message held again during replay waits for the next one
    });
    assertEquals(List.of(first, second), replayed);
    assertEquals(2, gate.heldCount());
    replayed.clear();
    gate.replay(replayed::add);
    assertEquals(List.of(first, second), replayed);
    assertEquals(0, gate.heldCount());
  }

  @Test
  void onlyStepTensorsHaveAStep() {
    assertEquals(5, DataGate.stepOf(activation(2, 5)));
    assertThrows(IllegalArgumentException.class, () -> DataGate.stepOf(transfer(2)));
  }
}
