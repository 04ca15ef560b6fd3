package io.elaswave.actors.rank;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.elaswave.planner.RankId;
import io.elaswave.protocol.FloatTensor;
import io.elaswave.protocol.fault.Fault;
import io.elaswave.protocol.runtime.RankMessage;
import org.junit.jupiter.api.Test;

/** When an armed fault strikes: an error once in its step's backward, a hang from its step on. */
class RankFaultsTest {
  private static final RankId R = RankId.of(3);

  @Test
  void anErrorFiresOnceInItsStep() {
    RankFaults faults = new RankFaults();
    assertNull(faults.errorIn(2));
    faults.arm(new Fault.RankError(R, 2));
    assertNull(faults.errorIn(1));
    assertEquals(new Fault.RankError(R, 2), faults.errorIn(2));
    assertNull(faults.errorIn(2));
    assertFalse(faults.hangsOn(new RankMessage.RunStep(0, 2)), "an error is no hang");
  }

  @Test
  void aHangStrikesOnAnyMessageOfItsStepOrLater() {
    RankFaults faults = new RankFaults();
    assertFalse(faults.hangsOn(new RankMessage.RunStep(0, 5)));
    faults.arm(new Fault.RankHang(R, 2));
    assertFalse(faults.hangsOn(new RankMessage.RunStep(0, 1)));
    assertFalse(faults.hangsOn(new RankMessage.ChangeCommitted(4)), "no step: not part of one");
    assertTrue(faults.hangsOn(new RankMessage.RunStep(0, 2)));
    assertTrue(faults.hangsOn(new RankMessage.RunStep(1, 3)));
    assertTrue(faults.hangsOn(new RankMessage.Activation(0, 2, 0, FloatTensor.of(1f))));
    assertTrue(faults.hangsOn(new RankMessage.ApplyUpdate(0, 2, 1e-3f, 1f)));
    assertNull(faults.errorIn(2));
  }
}
