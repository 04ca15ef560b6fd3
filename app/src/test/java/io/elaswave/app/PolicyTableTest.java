package io.elaswave.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The bench's scenario arithmetic and its table: theory from the shape, ratios within a repeat. */
class PolicyTableTest {
  private static final PolicyScenario KILL = new PolicyScenario("kill", 2, 4, 16, 30, 14, 0.2);

  private static PolicyOutcome outcome(String policy, int repeat, double after) {
    return new PolicyOutcome(policy, repeat, 1000, after, 500, 0, 60, 0, 0, true, 0.01, "dp2xpp[4,3]@epoch2");
  }

  @Test
  void theoryFollowsTheShape() {
    assertEquals(7.0 / 8, KILL.theory("elaswave"), 1e-12);
    assertEquals(0.5, KILL.theory("torchft"), 1e-12);
    assertEquals(0.5, KILL.theory("restart"), 1e-12);
    assertEquals((8.0 + 3) / (16 + 3), KILL.theory("recycle"), 1e-12, "m = 8 micro-batches a replica, p = 4");
    PolicyScenario join = new PolicyScenario("join", 2, 4, 16, 36, 14, 0.2);
    assertEquals(1.0, join.theory("torchft"));
    assertEquals(List.of(22L), join.joinAt());
    assertEquals(25, join.afterFrom());
    PolicyScenario slow = new PolicyScenario("slow", 2, 4, 16, 30, 14, 0.2);
    assertEquals(0.1, ((io.elaswave.protocol.fault.Fault.Slow) slow.faults().get(0)).cpus(), 1e-12);
    assertTrue(slow.theory("elaswave") > slow.theory("recycle"));
  }

  @Test
  void badScenariosAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new PolicyScenario("flood", 2, 4, 16, 30, 14, 0.2));
    assertThrows(IllegalArgumentException.class, () -> new PolicyScenario("kill", 2, 4, 16, 30, 4, 0.2));
    assertThrows(IllegalArgumentException.class, () -> new PolicyScenario("join", 2, 4, 16, 24, 14, 0.2));
  }

  @Test
  void ratiosAreTakenWithinARepeatAndTheirSpreadReported() {
    List<PolicyOutcome> runs = List.of(outcome("elaswave", 1, 900), outcome("torchft", 1, 500),
        outcome("elaswave", 2, 800), outcome("torchft", 2, 500), outcome("elaswave", 3, 1000), outcome("torchft", 3, 500));
    PolicyTable table = new PolicyTable(KILL, "small", "0.2", List.of("elaswave", "torchft"), runs);
    PolicyTable.Row ft = table.rows().get(1);
    assertEquals(1.8, ft.ratio(), 1e-12, "median of 1.8, 1.6 and 2.0");
    assertEquals((2.0 - 1.6) / 1.8, ft.spread(), 1e-12);
    assertEquals(500, ft.after(), 1e-12);
    assertTrue(table.json().contains("\"policy\": \"torchft\", \"theoryAfterOverBefore\": 0.500"), table.json());
    assertTrue(table.markdown().contains("| torchft | 0.50 | 0.50 | 500 (500-500) | 1.75 | 1.80 (22%) |"),
        table.markdown());
  }
}
