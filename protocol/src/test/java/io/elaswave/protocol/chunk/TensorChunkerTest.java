package io.elaswave.protocol.chunk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TensorChunkerTest {

  private static float[] randomFloats(Random random, int n) {
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] = Float.intBitsToFloat(random.nextInt()); // any bits, NaNs included
    }
    return values;
  }

  @Test
  void randomLengthsAndChunkSizesReassembleExactly() {
    Random random = new Random(42);
    for (int trial = 0; trial < 500; trial++) {
      int length = trial % 10 == 0 ? 0 : random.nextInt(5_000);
      int maxFloats = 1 + random.nextInt(trial % 3 == 0 ? 8 : 2_000);
      float[] source = randomFloats(random, length);
      List<TensorChunk> chunks = new ArrayList<>(TensorChunker.split(trial, 2, source, maxFloats));

      assertEquals(Math.max(1, (length + maxFloats - 1) / maxFloats), chunks.size());
      for (TensorChunk c : chunks) {
        assertTrue(c.data().length <= maxFloats);
        assertTrue(c.index() == c.count() - 1 || c.data().length == maxFloats, "only the last chunk is short");
      }
      Collections.shuffle(chunks, random);
      ChunkAssembler assembler = new ChunkAssembler(trial, 2);
      for (int i = 0; i < chunks.size(); i++) {
        assertEquals(i == chunks.size() - 1, assembler.accept(chunks.get(i)), "completes on the last chunk only");
      }
      float[] result = assembler.result();
      assertEquals(source.length, result.length);
      for (int i = 0; i < source.length; i++) {
        assertEquals(Float.floatToRawIntBits(source[i]), Float.floatToRawIntBits(result[i]));
      }
    }
  }

  @Test
  void chunksAreCopiesMadeOnDemand() {
    float[] source = {1, 2, 3, 4, 5};
    TensorChunker chunker = new TensorChunker(9L, 1L, source, 2);
    assertEquals(3, chunker.chunkCount());
    TensorChunk last = chunker.chunk(2);
    assertEquals(new TensorChunk(9L, 1L, 2, 3, 4, 5, new float[] {5}), last);
    source[4] = 50;
    assertArrayEquals(new float[] {5}, last.data());
    assertThrows(IndexOutOfBoundsException.class, () -> chunker.chunk(3));
  }

  @Test
  void emptyTensorIsOneEmptyChunk() {
    List<TensorChunk> chunks = TensorChunker.split(1L, 1L, new float[0], 4);
    assertEquals(List.of(new TensorChunk(1L, 1L, 0, 1, 0, 0, new float[0])), chunks);
    ChunkAssembler assembler = new ChunkAssembler(1L, 1L);
    assertTrue(assembler.accept(chunks.get(0)));
    assertEquals(0, assembler.result().length);
  }

  @Test
  void frameBudgetLeavesRoomForTheHeader() {
    assertEquals((8 * 1024 * 1024 - TensorChunker.FRAME_RESERVE_BYTES) / 4, TensorChunker.maxFloatsForFrame(8 << 20));
    assertThrows(IllegalArgumentException.class, () -> TensorChunker.maxFloatsForFrame(1024));
    assertThrows(IllegalArgumentException.class, () -> new TensorChunker(1L, 1L, new float[3], 0));
  }

  @Test
  void impossibleChunksCannotBeBuilt() {
    assertThrows(IllegalArgumentException.class, () -> new TensorChunk(1, 1, 3, 3, 0, 10, new float[1]));
    assertThrows(IllegalArgumentException.class, () -> new TensorChunk(1, 1, 0, 0, 0, 0, new float[0]));
    assertThrows(IllegalArgumentException.class, () -> new TensorChunk(1, 1, 0, 2, 8, 10, new float[3]));
    assertThrows(IllegalArgumentException.class, () -> new TensorChunk(1, 1, 0, 2, -1, 10, new float[3]));
    assertThrows(IllegalArgumentException.class,
        () -> new TensorChunk(1, 1, 0, 2, Integer.MAX_VALUE, Integer.MAX_VALUE, new float[3]));
  }
}
