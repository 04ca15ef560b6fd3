package io.elaswave.protocol.chunk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.elaswave.protocol.chunk.ChunkRejectedException.Reason;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class ChunkAssemblerTest {
  private static final float[] SOURCE = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
  private static final List<TensorChunk> CHUNKS = TensorChunker.split(5L, 3L, SOURCE, 4); // 4 + 4 + 2

  private static void assertRejected(Reason reason, Executable call) {
    ChunkRejectedException e = assertThrows(ChunkRejectedException.class, call);
    assertEquals(reason, e.reason(), e.getMessage());
  }

  @Test
  void duplicatesAreRejectedAndChangeNothing() {
    ChunkAssembler assembler = new ChunkAssembler(5L, 3L);
    assertFalse(assembler.accept(CHUNKS.get(1)));
    assertRejected(Reason.DUPLICATE, () -> assembler.accept(CHUNKS.get(1)));
    assertEquals(1, assembler.received());
    assertFalse(assembler.accept(CHUNKS.get(0)));
    assertTrue(assembler.accept(CHUNKS.get(2)));
    assertRejected(Reason.DUPLICATE, () -> assembler.accept(CHUNKS.get(2)));
    assertArrayEquals(SOURCE, assembler.result());
  }

  @Test
  void staleAndNewerEpochsAndOtherOperationsAreRejected() {
    ChunkAssembler assembler = new ChunkAssembler(5L, 3L);
    assertRejected(Reason.STALE_EPOCH, () -> assembler.accept(TensorChunker.split(5L, 2L, SOURCE, 4).get(0)));
    assertRejected(Reason.NEWER_EPOCH, () -> assembler.accept(TensorChunker.split(5L, 4L, SOURCE, 4).get(0)));
    assertRejected(Reason.WRONG_OPERATION, () -> assembler.accept(TensorChunker.split(6L, 3L, SOURCE, 4).get(0)));
    assertEquals(0, assembler.received());
  }

  @Test
  void stalenessIsRejectedWheneverItArrives() {
    Random random = new Random(3);
    for (int trial = 0; trial < 200; trial++) {
      long epoch = 10 + random.nextInt(5);
      ChunkAssembler assembler = new ChunkAssembler(1L, epoch);
      List<TensorChunk> current = TensorChunker.split(1L, epoch, SOURCE, 1 + random.nextInt(4));
      List<TensorChunk> stale = TensorChunker.split(1L, epoch - 1 - random.nextInt(3), SOURCE, 3);
      int accepted = random.nextInt(current.size());
      for (int i = 0; i < accepted; i++) {
        assembler.accept(current.get(i));
      }
      TensorChunk old = stale.get(random.nextInt(stale.size()));
      assertRejected(Reason.STALE_EPOCH, () -> assembler.accept(old));
      assertEquals(accepted, assembler.received());
    }
  }

  @Test
  void mismatchedTotalsCountsAndPlacesAreRejected() {
    ChunkAssembler assembler = new ChunkAssembler(5L, 3L);
    assembler.accept(CHUNKS.get(0));
    // same transfer, but a chunk claiming another total length, another count, or a gap/overlap
    assertRejected(Reason.INCONSISTENT, () -> assembler.accept(new TensorChunk(5L, 3L, 1, 3, 4, 11, new float[4])));
    assertRejected(Reason.INCONSISTENT, () -> assembler.accept(new TensorChunk(5L, 3L, 1, 4, 4, 10, new float[4])));
    assertRejected(Reason.INCONSISTENT, () -> assembler.accept(new TensorChunk(5L, 3L, 1, 3, 5, 10, new float[3])));
    assertRejected(Reason.INCONSISTENT, () -> assembler.accept(new TensorChunk(5L, 3L, 2, 3, 7, 10, new float[2])));
    assertEquals(1, assembler.received());
    assembler.accept(CHUNKS.get(2));
    // chunk 1 must meet both neighbours: [4, 8)
    assertRejected(Reason.INCONSISTENT, () -> assembler.accept(new TensorChunk(5L, 3L, 1, 3, 4, 10, new float[3])));
    assertTrue(assembler.accept(CHUNKS.get(1)));
    assertArrayEquals(SOURCE, assembler.result());
  }

  @Test
  void aRejectedFirstChunkLeavesTheAssemblerEmpty() {
    ChunkAssembler assembler = new ChunkAssembler(5L, 3L);
    assertRejected(Reason.INCONSISTENT, () -> assembler.accept(new TensorChunk(5L, 3L, 0, 2, 1, 10, new float[4])));
    assertRejected(Reason.INCONSISTENT, () -> assembler.accept(new TensorChunk(5L, 3L, 1, 2, 4, 10, new float[5])));
    for (TensorChunk c : CHUNKS) {
      assembler.accept(c);
    }
    assertArrayEquals(SOURCE, assembler.result());
  }

  @Test
  void resultBeforeCompletionFails() {
    ChunkAssembler assembler = new ChunkAssembler(5L, 3L);
    assertThrows(IllegalStateException.class, assembler::result);
    assembler.accept(CHUNKS.get(0));
    var e = assertThrows(IllegalStateException.class, assembler::result);
    assertTrue(e.getMessage().contains("1 of 3 chunks"), e.getMessage());
  }
}
