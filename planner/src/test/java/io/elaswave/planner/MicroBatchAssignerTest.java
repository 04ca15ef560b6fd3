package io.elaswave.planner;

import static io.elaswave.planner.StagePartitionerTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MicroBatchAssignerTest {

  @Test
  void equalSpeedsGiveTheFirstReplicasTheExtraIds() {
    for (int dp = 1; dp <= 8; dp++) {
      for (int g = dp; g <= 40; g++) {
        List<MicroBatchRange> ranges = MicroBatchAssigner.assignEqual(g, dp);
        int from = 0;
        for (int r = 0; r < dp; r++) {
          int size = g / dp + (r < g % dp ? 1 : 0);
          assertEquals(new MicroBatchRange(from, from + size), ranges.get(r), "G=" + g + " dp=" + dp + " r=" + r);
          from += size;
        }
      }
    }
  }

  @Test
  void randomSpeedsSumToGAndStayProportional() {
    Random rnd = new Random(99);
    for (int c = 0; c < 400; c++) {
      int dp = 1 + rnd.nextInt(8);
      int g = dp + rnd.nextInt(40);
      double[] speeds = new double[dp];
      for (int r = 0; r < dp; r++) {
        speeds[r] = rnd.nextInt(4) == 0 ? 1 + rnd.nextInt(3) : 0.05 + rnd.nextDouble() * 5; // some ties
      }
      int[] sizes = MicroBatchAssigner.sizes(g, speeds);
      List<MicroBatchRange> ranges = MicroBatchAssigner.assign(g, speeds);
      double total = 0;
      for (double s : speeds) {
        total += s;
      }
      int next = 0;
      boolean allQuotasAtLeastOne = true;
      for (int r = 0; r < dp; r++) {
        assertTrue(sizes[r] >= 1);
        assertEquals(new MicroBatchRange(next, next + sizes[r]), ranges.get(r), "contiguous, in replica order");
        next += sizes[r];
        allQuotasAtLeastOne &= g * speeds[r] / total >= 1 + 1e-9;
      }
      assertEquals(g, next);
      for (int a = 0; a < dp; a++) {
        for (int b = 0; b < dp; b++) {
          if (speeds[a] > speeds[b] || (speeds[a] == speeds[b] && a < b)) {
            assertTrue(sizes[a] >= sizes[b], "a faster replica never gets fewer ids, case " + c);
          }
        }
        double quota = g * speeds[a] / total;
        if (allQuotasAtLeastOne) {
          assertTrue(Math.abs(sizes[a] - quota) < 1 + 1e-9, "within rounding of its quota, case " + c);
        }
      }
    }
  }

  @Test
  void slowReplicasStillGetOneId() {
    assertArrayEquals(new int[] {8, 1, 1}, MicroBatchAssigner.sizes(10, new double[] {100, 1, 1}));
    assertArrayEquals(new int[] {1, 1, 1}, MicroBatchAssigner.sizes(3, new double[] {1, 1000, 1}));
  }

  @Test
  void roundingIsExactAndTiesGoToTheLowerReplica() {
    assertArrayEquals(new int[] {1, 2, 3}, MicroBatchAssigner.sizes(6, new double[] {0.1, 0.2, 0.3}));
    assertArrayEquals(new int[] {2, 2, 1, 1}, MicroBatchAssigner.sizes(6, new double[] {1, 1, 1, 1}));
    assertArrayEquals(new int[] {2, 3, 2}, MicroBatchAssigner.sizes(7, new double[] {1, 1.5, 1}));
  }

  @Test
  void badArgumentsAreRejectedWithTheReason() {
    assertMessage("cannot give each of 3 replicas a micro-batch: only 2",
        () -> MicroBatchAssigner.assignEqual(2, 3));
    assertMessage("speed of replica 1 must be finite and > 0",
        () -> MicroBatchAssigner.assign(4, new double[] {1, 0}));
    assertMessage("speed of replica 0 must be finite", () -> MicroBatchAssigner.assign(4, new double[] {Double.NaN}));
    assertMessage("at least one replica", () -> MicroBatchAssigner.assignEqual(4, 0));
  }
}
