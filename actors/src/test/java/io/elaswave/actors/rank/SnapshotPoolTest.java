package io.elaswave.actors.rank;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.elaswave.planner.RankId;
import io.elaswave.protocol.FloatTensor;
import io.elaswave.protocol.runtime.StateBlock;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The buddy's pool: versions per rank and step, the last two kept, uncommitted ones discarded. */
class SnapshotPoolTest {
  private static final RankId A = RankId.of(0);
  private static final RankId B = RankId.of(1);

  private static StateBlock block(int layer, int block, float value) {
    return new StateBlock(layer, block, FloatTensor.of(value, value), FloatTensor.of(value), FloatTensor.of(value));
  }

  @Test
  void keepsEachRanksBlocksPerStepAndAddsBatchesToOneVersion() {
    SnapshotPool pool = new SnapshotPool();
    StateBlock a0 = block(0, 0, 1f);
    StateBlock a1 = block(0, 1, 2f);
    pool.put(A, 3, List.of(a0));
    pool.put(A, 3, List.of(a1)); // a second batch of the same snapshot
    pool.put(B, 3, List.of(block(0, 0, 9f)));
    assertSame(a0, pool.get(A, 3, 0, 0));
    assertSame(a1, pool.get(A, 3, 0, 1));
    assertEquals(9f, pool.get(B, 3, 0, 0).m().values()[0]);
    assertNull(pool.get(A, 2, 0, 0));
    assertNull(pool.get(RankId.of(7), 3, 0, 0));
    assertNull(pool.get(A, 3, 1, 0));
    assertEquals(2 * (2 + 1 + 1) + (2 + 1 + 1), pool.floats());
  }

  @Test
  void theLastTwoStepsAreKept() {
    SnapshotPool pool = new SnapshotPool();
    pool.put(A, 1, List.of(block(0, 0, 1f)));
    pool.put(A, 2, List.of(block(0, 0, 2f)));
    assertEquals(1f, pool.get(A, 1, 0, 0).m().values()[0]); // committed step survives the next snapshot
    pool.put(A, 3, List.of(block(0, 0, 3f)));
    assertNull(pool.get(A, 1, 0, 0));
    assertEquals(2f, pool.get(A, 2, 0, 0).m().values()[0]);
    assertEquals(3f, pool.get(A, 3, 0, 0).m().values()[0]);
  }

  @Test
  void discardAfterForgetsUncommittedStepsOfEveryRank() {
    SnapshotPool pool = new SnapshotPool();
    pool.put(A, 4, List.of(block(0, 0, 4f)));
    pool.put(A, 5, List.of(block(0, 0, 5f)));
    pool.put(B, 5, List.of(block(1, 0, 5f)));
    pool.discardAfter(4);
    assertEquals(4f, pool.get(A, 4, 0, 0).m().values()[0]);
    assertNull(pool.get(A, 5, 0, 0));
    assertNull(pool.get(B, 5, 1, 0));
    pool.put(A, 5, List.of(block(0, 0, 6f))); // the redone step's snapshot
    assertEquals(6f, pool.get(A, 5, 0, 0).m().values()[0]);
  }

  @Test
  void aBlockDamagedInMemoryIsRefusedNotHandedOut() {
    SnapshotPool pool = new SnapshotPool();
    StateBlock kept = block(0, 0, 1f);
    pool.put(A, 3, List.of(kept));
    kept.v().values()[0] = Float.intBitsToFloat(Float.floatToRawIntBits(1f) ^ 1); // one flipped bit
    assertNull(pool.get(A, 3, 0, 0), "a block whose checksum no longer matches is never used for recovery");
    assertSame(kept, pool.base(A, 3, 0, 0), "a replay's base is unchecked: its result is checked instead");
  }
}
