package io.elaswave.app.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The demo's pieces that need no node JVM: the timeline's wrapping and shortening, the warm-up test. */
class DemoTimelineTest {
  @Test
  void timelineWrapsLongEntriesAndKeepsColumns() {
    assertEquals(List.of("step  8  loss 4.0214"), DemoTimeline.wrap("step  8  loss 4.0214", 40));
    assertEquals(List.of("   node-0 Scheduler: re-planned a -> b:", "lost [r2]; micro-batches [[0,3), [3,4)]"),
        DemoTimeline.wrap("   node-0 Scheduler: re-planned a -> b: lost [r2]; micro-batches [[0,3), [3,4)]", 40));
    assertEquals(List.of("a", "0123456789abcdef", "b"), DemoTimeline.wrap("a 0123456789abcdef b", 8));
    assertEquals("node-0 Scheduler: node node-2 is dead", DemoTimeline.shorten(
        "[node-0] 23:07:20.052 WARN  i.e.actors.scheduler.Scheduler - node node-2 is dead"));
    assertEquals("node-1 RankActor: ERROR boom", DemoTimeline.shorten(
        "[node-1] 23:07:20.052 ERROR i.e.actors.rank.RankActor - boom"));
    assertEquals("Exception in thread main", DemoTimeline.shorten("Exception in thread main"));
  }

  @Test
  void stepTimesFallingByHalfMeanStillWarming() {
    List<DemoRun.Row> warming = List.of(row(1, 900), row(2, 800), row(3, 300), row(4, 290));
    List<DemoRun.Row> steady = List.of(row(1, 300), row(2, 310), row(3, 290), row(4, 300));
    assertTrue(DemoSummary.stillWarming(warming));
    assertFalse(DemoSummary.stillWarming(steady));
    assertFalse(DemoSummary.stillWarming(List.of(row(1, 900))));
  }

  private static DemoRun.Row row(long step, long millis) {
    return new DemoRun.Row(step, 4f, step, "dp2xpp2@epoch1", millis * 1_000_000, 256);
  }
}
