package io.elaswave.planner;

import static io.elaswave.planner.StagePartitionerTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.elaswave.engine.model.ModelConfig;
import io.elaswave.engine.param.ParamBlocks;
import io.elaswave.engine.reduce.TreeNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class StaticPlannerTest {

  @Test
  void randomPlansKeepEveryInvariant() {
    Random rnd = new Random(424242);
    for (int c = 0; c < 300; c++) {
      PlanRequest request = randomRequest(rnd);
      Layout layout = StaticPlanner.plan(request);
      String label = "case " + c + ": " + layout.describe();
      ParamBlocks blocks = request.model().paramBlocks();
      assertEquals(List.of(), LayoutValidator.violations(layout, blocks), label);
      assertEquals(Layout.INITIAL_EPOCH, layout.epoch());
      assertEquals("dp" + request.dp() + "xpp" + request.pp() + "@epoch1", layout.name());
      assertTrue(layout.reason().startsWith("initial dp" + request.dp() + "xpp" + request.pp()), layout.reason());
      checkPipelines(request, layout, label);
      checkLayerGroups(layout, label);
      checkMicroBatches(request, layout, label);
      checkBlocks(layout, blocks, label);
      checkBalance(request, layout, label);
    }
  }

  @Test
  void rankOrderInTheRequestDoesNotMatter() {
    Random rnd = new Random(5);
    PlanRequest request = randomRequest(rnd);
    List<RankInfo> shuffled = new ArrayList<>(request.ranks());
    Collections.shuffle(shuffled, rnd);
    PlanRequest again = new PlanRequest(shuffled, request.dp(), request.pp(), request.microBatches(),
        request.model(), request.memoryCap());
    assertEquals(StaticPlanner.plan(request), StaticPlanner.plan(again));
  }

  @Test
  void plansTheRealSmallModel() {
    ModelConfig config = ModelConfig.preset("small", 65);
    ModelProfile model = ModelProfile.estimate(config, 2);
    Layout layout = StaticPlanner.plan(PlanRequest.of(RankInfo.packed(4, 2, "node"), 2, 2, 8, model));
    assertEquals(List.of(), LayoutValidator.violations(layout, model.paramBlocks()));
    assertEquals(8, layout.layerCount());
    assertEquals(List.of(RankId.of(0), RankId.of(1)), layout.ranksOfReplica(0));
    assertEquals(List.of(RankId.of(2), RankId.of(3)), layout.ranksOfReplica(1));
    assertEquals(new MicroBatchRange(4, 8), layout.microBatchesOf(1));
    assertEquals(NodeId.of("node1"), layout.nodeOf(RankId.of(3)));
    StageAssignment first = layout.stageOf(RankId.of(0));
    assertEquals(0, first.layerFrom());
    assertTrue(first.layerTo() >= 4, "the head is cheap at d=128, V=65, so blocks split about evenly: " + layout);
  }

  @Test
  void memoryCapThatCannotBeMetIsReported() {
    ModelProfile model = profile(new double[] {1, 1, 1, 1}, new long[] {100, 100, 100, 100}, new int[] {8, 8, 8, 8}, 4);
    PlanRequest request = new PlanRequest(RankInfo.packed(2, 1, "n"), 1, 2, 2, model, 150);
    assertThrows(InfeasiblePartitionException.class, () -> StaticPlanner.plan(request));
    Layout fits = StaticPlanner.plan(new PlanRequest(RankInfo.packed(2, 1, "n"), 1, 2, 2, model, 200));
    assertEquals(2, fits.stageOf(RankId.of(0)).layerCount());
  }

  @Test
  void theLeastMemoryCapIsTheLargestStageOfTheBestFittingPlan() {
    ModelProfile model = profile(new double[] {1, 1, 1, 1}, new long[] {100, 100, 100, 300}, new int[] {8, 8, 8, 8}, 4);
    PlanRequest request = new PlanRequest(RankInfo.packed(2, 1, "n"), 1, 2, 2, model, 1);
    long[] activations = {10, 10, 10, 10}; // stage 0 keeps 2 micro-batches in flight, stage 1 one
    long least = StaticPlanner.leastMemoryCap(request, activations, 1);
    assertEquals(360, least, "layers 0-2 (300 + 2 in flight x 30) beside layer 3 (300 + 10)");
    StaticPlanner.plan(new PlanRequest(request.ranks(), 1, 2, 2, model, least), activations);
    assertThrows(InfeasiblePartitionException.class,
        () -> StaticPlanner.plan(new PlanRequest(request.ranks(), 1, 2, 2, model, least - 1), activations));
    assertEquals(384, StaticPlanner.leastMemoryCap(request, activations, 64), "rounded up to the grain");
  }

  @Test
  void badRequestsAreRejectedWithTheReason() {
    ModelProfile model = profile(new double[] {1, 1, 1}, new long[3], new int[] {4, 4, 4}, 2);
    List<RankInfo> four = RankInfo.packed(4, 2, "n");
    assertMessage("dp x pp = 2 x 3 = 6 does not match the 4 ranks given", () -> PlanRequest.of(four, 2, 3, 4, model));
    assertMessage("pp = 4 exceeds the 3 layers", () -> PlanRequest.of(four, 1, 4, 4, model));
    assertMessage("3 micro-batches per step cannot give each of 4 replicas one",
        () -> PlanRequest.of(four, 4, 1, 3, model));
    assertMessage("dp must be >= 1, got 0", () -> PlanRequest.of(four, 0, 4, 4, model));
    assertMessage("pp must be >= 1, got 0", () -> PlanRequest.of(four, 4, 0, 4, model));
    List<RankInfo> twice = List.of(RankInfo.of(0, "a"), RankInfo.of(1, "a"), RankInfo.of(1, "b"), RankInfo.of(2, "b"));
    assertMessage("rank r1 is listed twice", () -> PlanRequest.of(twice, 2, 2, 4, model));
    assertMessage("memory cap must be > 0", () -> new PlanRequest(four, 2, 2, 4, model, 0));
    assertMessage("need at least one rank", () -> PlanRequest.of(List.of(), 1, 1, 1, model));
    assertMessage("rank id must be >= 0", () -> RankInfo.of(-1, "a"));
    assertMessage("node name must not be blank", () -> RankInfo.of(0, " "));
  }

  // ---- invariants checked through the public queries, independently of LayoutValidator ----

  private static void checkPipelines(PlanRequest request, Layout layout, String label) {
    List<RankId> sorted = request.ranks().stream().map(RankInfo::rank).sorted().toList();
    StagePartition partition = StagePartitioner.partition(request.model().layerCosts(),
        request.model().layerMemory(), request.memoryCap(), request.pp());
    assertEquals(request.dp(), layout.dp(), label);
    for (int r = 0; r < request.dp(); r++) {
      List<RankId> pipeline = layout.ranksOfReplica(r);
      assertEquals(sorted.subList(r * request.pp(), (r + 1) * request.pp()), pipeline, label);
      for (int s = 0; s < pipeline.size(); s++) {
        StageAssignment a = layout.stageOf(pipeline.get(s));
        assertEquals(partition.stages().get(s), new LayerRange(a.layerFrom(), a.layerTo()), label);
        assertEquals(s == 0 ? null : pipeline.get(s - 1), layout.prevRank(pipeline.get(s)).orElse(null), label);
        assertEquals(s == pipeline.size() - 1 ? null : pipeline.get(s + 1),
            layout.nextRank(pipeline.get(s)).orElse(null), label);
      }
    }
    for (RankInfo info : request.ranks()) {
      assertEquals(info.node(), layout.nodeOf(info.rank()), label);
      assertTrue(layout.ranksOnNode(info.node()).contains(info.rank()), label);
    }
  }

  private static void checkLayerGroups(Layout layout, String label) {
    for (int l = 0; l < layout.layerCount(); l++) {
      List<RankId> holders = layout.holdersOfLayer(l);
      assertEquals(layout.dp(), holders.size(), label + ": one holder per replica of layer " + l);
      for (int r = 0; r < holders.size(); r++) {
        StageAssignment a = layout.stageOf(holders.get(r));
        assertEquals(r, a.replica(), label);
        assertTrue(a.holds(l), label);
      }
    }
  }

  private static void checkMicroBatches(PlanRequest request, Layout layout, String label) {
    int g = request.microBatches();
    int next = 0;
    Set<TreeNode> nodes = new HashSet<>();
    int covered = 0;
    for (int r = 0; r < layout.dp(); r++) {
      MicroBatchRange range = layout.microBatchesOf(r);
      assertEquals(next, range.from(), label);
      assertEquals(g / layout.dp() + (r < g % layout.dp() ? 1 : 0), range.size(), label);
      next = range.to();
      for (TreeNode node : layout.reductionCover(r)) {
        assertTrue(node.within(range.from(), range.to()) && nodes.add(node), label);
        covered += node.hi() - node.lo();
      }
    }
    assertEquals(g, next, label);
    assertEquals(g, covered, label + ": tree covers partition [0, G)");
  }

  private static void checkBlocks(Layout layout, ParamBlocks blocks, String label) {
    Set<BlockId> seen = new HashSet<>();
    for (RankId rank : layout.rankIds()) {
      for (BlockId block : layout.blocksOwnedBy(rank)) {
        assertTrue(seen.add(block), label + ": " + block + " owned twice");
        assertTrue(layout.stageOf(rank).holds(block.layer()), label + ": owner holds the layer");
        assertEquals(rank, layout.ownerOfBlock(block.layer(), block.block()), label);
      }
    }
    assertEquals(blocks.all().size(), seen.size(), label + ": every block owned");
    for (int l = 0; l < layout.layerCount(); l++) {
      assertEquals(blocks.blocks(l).size(), layout.blockCount(l), label);
    }
  }

  /** Ranks of one stage own that stage's blocks within one of each other; so do whole replicas. */
  private static void checkBalance(PlanRequest request, Layout layout, String label) {
    for (int s = 0; s < request.pp(); s++) {
      int stage = s;
      int[] owned = IntStream.range(0, layout.dp())
          .map(r -> layout.blocksOwnedBy(layout.ranksOfReplica(r).get(stage)).size()).toArray();
      assertTrue(spread(owned) <= 1, label + ": stage " + s + " owners " + Arrays.toString(owned));
    }
    int[] perReplica = IntStream.range(0, layout.dp()).map(r -> layout.ranksOfReplica(r).stream()
        .mapToInt(rank -> layout.blocksOwnedBy(rank).size()).sum()).toArray();
    assertTrue(spread(perReplica) <= 1, label);
  }

  private static int spread(int[] counts) {
    return IntStream.of(counts).max().orElse(0) - IntStream.of(counts).min().orElse(0);
  }

  // ---- random inputs ----

  static PlanRequest randomRequest(Random rnd) {
    int layers = 1 + rnd.nextInt(10);
    int dp = 1 + rnd.nextInt(4);
    int pp = 1 + rnd.nextInt(Math.min(4, layers));
    int g = dp + rnd.nextInt(3 * dp + 5);
    double[] costs = new double[layers];
    long[] memory = new long[layers];
    int[] sizes = new int[layers];
    for (int l = 0; l < layers; l++) {
      costs[l] = rnd.nextBoolean() ? 1 + rnd.nextInt(3) : rnd.nextDouble() * 5;
      memory[l] = rnd.nextInt(1000);
      sizes[l] = rnd.nextInt(6) == 0 ? 0 : rnd.nextInt(5000);
    }
    ModelProfile model = profile(costs, memory, sizes, 64 + rnd.nextInt(1000));
    List<Integer> ids = new ArrayList<>(IntStream.range(0, 100).boxed().toList());
    Collections.shuffle(ids, rnd);
    List<RankInfo> ranks = new ArrayList<>();
    for (int i = 0; i < dp * pp; i++) {
      ranks.add(RankInfo.of(ids.get(i), "node" + rnd.nextInt(3)));
    }
    return PlanRequest.of(ranks, dp, pp, g, model);
  }

  static ModelProfile profile(double[] costs, long[] memory, int[] sizes, int blockSize) {
    return new ModelProfile(costs, memory, sizes, blockSize);
  }
}
