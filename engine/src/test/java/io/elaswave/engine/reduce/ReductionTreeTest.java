package io.elaswave.engine.reduce;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Any split of [0, G) into contiguous ranges must give the same bits as the whole range. */
class ReductionTreeTest {

  @Test
  void everyContiguousSplitGivesIdenticalBits() {
    Random rnd = new Random(2024);
    for (int trial = 0; trial < 400; trial++) {
      int g = 1 + rnd.nextInt(33);
      float[][] leaves = new float[g][];
      for (int k = 0; k < g; k++) {
        leaves[k] = new float[17];
        for (int i = 0; i < 17; i++) {
          // wide dynamic range so a different summation order would show in the bits
          leaves[k][i] = (float) (rnd.nextGaussian() * Math.pow(10, rnd.nextInt(7) - 3));
        }
      }
      ReductionTree tree = new ReductionTree(g);
      float[] whole = sumOverSplit(tree, leaves, List.of(0, g));
      float[] split = sumOverSplit(tree, leaves, randomCuts(rnd, g));
      assertArrayEquals(whole, split, "G=" + g);
    }
  }

  @Test
  void aDifferentOrderWouldChangeTheBits() {
    // guards the test above: sequential left-to-right summation differs from the tree
    ReductionTree tree = new ReductionTree(3);
    float[][] leaves = {{1f}, {1e8f}, {-1e8f}};
    float[] treeSum = sumOverSplit(tree, leaves, List.of(0, 3));
    float sequential = (leaves[0][0] + leaves[1][0]) + leaves[2][0];
    assertEquals(0f, sequential);
    assertEquals(1f, treeSum[0]); // [0,1) + ([1,2) + [2,3))
  }

  @Test
  void coverNodesAreMaximalAndDisjoint() {
    ReductionTree tree = new ReductionTree(8);
    assertEquals(List.of(new TreeNode(0, 8)), tree.cover(0, 8));
    assertEquals(List.of(new TreeNode(2, 4), new TreeNode(4, 6), new TreeNode(6, 7)), tree.cover(2, 7));
    assertThrows(IllegalArgumentException.class, () -> tree.cover(3, 3));
    assertThrows(IllegalArgumentException.class, () -> tree.cover(0, 9));
  }

  @Test
  void accumulatorRejectsOutOfOrderAndIncompleteInput() {
    RangeAccumulator acc = new RangeAccumulator(new ReductionTree(4), 1, 4);
    assertThrows(IllegalStateException.class, () -> acc.add(2, new float[1]));
    acc.add(1, new float[1]);
    assertThrows(IllegalStateException.class, acc::result);
  }

  @Test
  void combineRejectsMissingCoverage() {
    ReductionTree tree = new ReductionTree(4);
    Map<TreeNode, float[]> partial = Map.of(new TreeNode(0, 2), new float[1]);
    assertThrows(IllegalArgumentException.class, () -> tree.combine(partial));
  }

  @Test
  void combineCoveredIsCombineWhenEveryIdIsThereAndSkipsWhatIsLeftOut() {
    Random rnd = new Random(7);
    for (int trial = 0; trial < 200; trial++) {
      int g = 2 + rnd.nextInt(20);
      ReductionTree tree = new ReductionTree(g);
      float[][] leaves = new float[g][];
      for (int k = 0; k < g; k++) {
        leaves[k] = new float[] {rnd.nextInt(1000), (float) (rnd.nextGaussian() * Math.pow(10, rnd.nextInt(7) - 3))};
      }
      List<Integer> cuts = randomCuts(rnd, g);
      Map<TreeNode, float[]> all = new HashMap<>();
      Map<TreeNode, float[]> kept = new HashMap<>();
      int dropped = rnd.nextInt(cuts.size() - 1); // one range's ids are left out
      double expected = 0;
      for (int r = 0; r + 1 < cuts.size(); r++) {
        RangeAccumulator acc = new RangeAccumulator(tree, cuts.get(r), cuts.get(r + 1));
        for (int k = cuts.get(r); k < cuts.get(r + 1); k++) {
          acc.add(k, leaves[k]);
          expected += r == dropped ? 0 : leaves[k][0];
        }
        all.putAll(acc.result());
        if (r != dropped) {
          kept.putAll(acc.result());
        }
      }
      assertArrayEquals(tree.combine(all), tree.combineCovered(all), "G=" + g);
      if (kept.isEmpty()) {
        assertEquals(null, tree.combineCovered(kept));
      } else {
        assertEquals(expected, tree.combineCovered(kept)[0], "G=" + g); // integers: exact in any order
      }
    }
  }

  private static float[] sumOverSplit(ReductionTree tree, float[][] leaves, List<Integer> cuts) {
    Map<TreeNode, float[]> partials = new HashMap<>();
    for (int r = 0; r + 1 < cuts.size(); r++) {
      RangeAccumulator acc = new RangeAccumulator(tree, cuts.get(r), cuts.get(r + 1));
      for (int k = cuts.get(r); k < cuts.get(r + 1); k++) {
        acc.add(k, leaves[k]);
      }
      Map<TreeNode, float[]> result = acc.result();
      assertEquals(tree.cover(cuts.get(r), cuts.get(r + 1)), new ArrayList<>(result.keySet()));
      partials.putAll(result);
    }
    return tree.combine(partials);
  }

  private static List<Integer> randomCuts(Random rnd, int g) {
    TreeSet<Integer> cuts = new TreeSet<>(List.of(0, g));
    int extra = rnd.nextInt(g);
    for (int i = 0; i < extra; i++) {
      cuts.add(1 + rnd.nextInt(Math.max(1, g - 1)));
    }
    cuts.removeIf(c -> c > g);
    return new ArrayList<>(cuts);
  }
}
