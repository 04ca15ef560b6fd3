package io.elaswave.planner.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OneFOneBScheduleTest {

  @Test
  void threePhasesForTheFirstOfFourStages() {
    assertEquals("[F0, F1, F2, F3, B0, F4, B1, F5, B2, B3, B4, B5]",
        OneFOneBSchedule.forStage(0, 4, 0, 6).toString());
    assertEquals("[F0, B0, F1, B1, F2, B2]", OneFOneBSchedule.forStage(3, 4, 0, 3).toString());
  }

  @Test
  void everyIdRunsForwardThenBackwardOnceAndInFlightIsBounded() {
    for (int stages = 1; stages <= 6; stages++) {
      for (int stage = 0; stage < stages; stage++) {
        for (int count = 0; count <= 9; count++) {
          List<PipelineOp> ops = OneFOneBSchedule.forStage(stage, stages, 3, count);
          assertEquals(2 * count, ops.size());
          Set<Integer> forwarded = new HashSet<>();
          Set<Integer> backwarded = new HashSet<>();
          for (PipelineOp op : ops) {
            if (op.kind() == PipelineOp.Kind.FORWARD) {
              assertTrue(forwarded.add(op.microBatch()));
            } else {
              assertTrue(forwarded.contains(op.microBatch()), "backward before forward: " + op);
              assertTrue(backwarded.add(op.microBatch()));
            }
          }
          assertEquals(count, backwarded.size());
          assertTrue(OneFOneBSchedule.peakInFlight(ops) <= Math.max(1, stages - stage));
        }
      }
    }
  }

  @Test
  void neighbouringStagesNeverDeadlock() {
    // Simulate P stages exchanging activations and gradients through FIFO channels: every
    // stage's next operation must eventually have its input.
    for (int stages = 1; stages <= 5; stages++) {
      for (int count = 1; count <= 8; count++) {
        simulate(stages, count);
      }
    }
  }

  private static void simulate(int stages, int count) {
    List<Deque<PipelineOp>> pending = new ArrayList<>();
    List<Set<Integer>> activations = new ArrayList<>();
    List<Set<Integer>> gradients = new ArrayList<>();
    for (int s = 0; s < stages; s++) {
      pending.add(new ArrayDeque<>(OneFOneBSchedule.forStage(s, stages, 0, count)));
      activations.add(new HashSet<>());
      gradients.add(new HashSet<>());
    }
    boolean progressed = true;
    while (progressed) {
      progressed = false;
      for (int s = 0; s < stages; s++) {
        PipelineOp op = pending.get(s).peek();
        if (op == null) {
          continue;
        }
        boolean forward = op.kind() == PipelineOp.Kind.FORWARD;
        boolean ready = forward
            ? s == 0 || activations.get(s).contains(op.microBatch())
            : s == stages - 1 || gradients.get(s).contains(op.microBatch());
        if (ready) {
          pending.get(s).poll();
          if (forward && s + 1 < stages) {
            activations.get(s + 1).add(op.microBatch());
          } else if (!forward && s > 0) {
            gradients.get(s - 1).add(op.microBatch());
          }
          progressed = true;
        }
      }
    }
    for (int s = 0; s < stages; s++) {
      assertTrue(pending.get(s).isEmpty(), "stage " + s + " of " + stages + " stuck with " + count + " micro-batches");
    }
  }

  @Test
  void rejectsBadStages() {
    assertThrows(IllegalArgumentException.class, () -> OneFOneBSchedule.forStage(4, 4, 0, 2));
    assertThrows(IllegalArgumentException.class, () -> OneFOneBSchedule.forStage(0, 0, 0, 2));
  }
}
