package io.elaswave.engine.rng;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CounterRngTest {
  @Test
  void sameKeySameBitsAndEveryFieldMatters() {
    long base = CounterRng.bits(1, Purpose.DROPOUT, 2, 3, 4, 5);
    assertEquals(base, CounterRng.bits(1, Purpose.DROPOUT, 2, 3, 4, 5));
    assertNotEquals(base, CounterRng.bits(2, Purpose.DROPOUT, 2, 3, 4, 5));
    assertNotEquals(base, CounterRng.bits(1, Purpose.INIT, 2, 3, 4, 5));
    assertNotEquals(base, CounterRng.bits(1, Purpose.DROPOUT, 3, 3, 4, 5));
    assertNotEquals(base, CounterRng.bits(1, Purpose.DROPOUT, 2, 4, 4, 5));
    assertNotEquals(base, CounterRng.bits(1, Purpose.DROPOUT, 2, 3, 5, 5));
    assertNotEquals(base, CounterRng.bits(1, Purpose.DROPOUT, 2, 3, 4, 6));
  }

  @Test
  void uniformAndNormalHaveTheRightMoments() {
    int n = 200_000;
    double sum = 0;
    double sumN = 0;
    double sumN2 = 0;
    for (int i = 0; i < n; i++) {
      float u = CounterRng.uniform(9, Purpose.DATA, 0, 0, 0, i);
      assertTrue(u >= 0f && u < 1f);
      sum += u;
      double z = CounterRng.normal(9, Purpose.INIT, 0, 0, 1, i);
      sumN += z;
      sumN2 += z * z;
    }
    assertEquals(0.5, sum / n, 0.005);
    assertEquals(0.0, sumN / n, 0.01);
    assertEquals(1.0, sumN2 / n, 0.02);
  }
}
