package io.elaswave.engine.param;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

class DigestTest {
  @Test
  void anyFlippedBitChangesTheModelDigest() {
    ParamBlocks blocks = new ParamBlocks(4, new int[] {10, 3});
    float[][] params = {new float[10], new float[3]};
    for (int i = 0; i < 10; i++) {
      params[0][i] = i * 0.5f;
    }
    long before = Digest.ofModel(blocks, params);
    for (int l = 0; l < 2; l++) {
      for (int i = 0; i < params[l].length; i++) {
        float keep = params[l][i];
        params[l][i] = Float.intBitsToFloat(Float.floatToRawIntBits(keep) ^ 1);
        assertNotEquals(before, Digest.ofModel(blocks, params), "layer " + l + " element " + i);
        params[l][i] = keep;
      }
    }
    assertEquals(before, Digest.ofModel(blocks, params));
    assertEquals(16, Digest.hex(before).length());
  }

  @Test
  void blocksCoverEachLayerExactly() {
    ParamBlocks blocks = new ParamBlocks(4, new int[] {10, 3});
    assertEquals(3, blocks.blocks(0).size());
    assertEquals(new BlockRef(0, 2, 8, 10), blocks.blocks(0).get(2));
    assertEquals(new BlockRef(1, 0, 0, 3), blocks.blocks(1).get(0));
    assertEquals(4, blocks.all().size());
  }
}
