package io.elaswave.actors.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class StepTimesTest {
  private static final StepTimes.Policy POLICY = new StepTimes.Policy(5, Duration.ofSeconds(3), Duration.ofSeconds(30));

  @Test void theFirstStepsGetTheirOwnAllowance() {
    StepTimes t = new StepTimes();
    assertEquals(Duration.ofSeconds(30), t.deadline(POLICY));
    t.add(100);
    t.add(100);
    assertEquals(Duration.ofSeconds(30), t.deadline(POLICY), "two steps are not enough to judge");
    t.add(100);
    assertEquals(Duration.ofSeconds(3), t.deadline(POLICY), "5 x 100 ms is under the floor");
  }

  @Test void theDeadlineFollowsTheMedianNotTheOutliers() {
    StepTimes t = new StepTimes();
    for (long ms : new long[] {1000, 1200, 60_000, 1100, 900}) {
      t.add(ms);
    }
    assertEquals(1100, t.medianMillis());
    assertEquals(Duration.ofMillis(5500), t.deadline(POLICY));
  }

  @Test void onlyTheRecentWindowCounts() {
    StepTimes t = new StepTimes();
    for (int i = 0; i < StepTimes.WINDOW; i++) {
      t.add(10_000);
    }
    for (int i = 0; i < StepTimes.WINDOW; i++) {
      t.add(1_000);
    }
    assertEquals(1_000, t.medianMillis());
  }

  @Test void nonsensePoliciesAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new StepTimes.Policy(0.5, Duration.ofSeconds(1),
        Duration.ofSeconds(1)));
    assertThrows(IllegalArgumentException.class, () -> new StepTimes.Policy(5, Duration.ZERO, Duration.ofSeconds(1)));
  }
}
