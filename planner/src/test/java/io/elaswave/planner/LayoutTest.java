package io.elaswave.planner;

import static io.elaswave.planner.StagePartitionerTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.elaswave.engine.param.ParamBlocks;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A hand-made layout of the shape an elastic re-plan produces: replica 0 keeps two stages,
 * replica 1 lost a rank and runs all four layers on one. Then one broken copy per invariant.
 */
class LayoutTest {
  private static final RankId R0 = RankId.of(0);
  private static final RankId R1 = RankId.of(1);
  private static final RankId R3 = RankId.of(3);
  private static final List<RankInfo> RANKS =
      List.of(RankInfo.of(0, "a"), RankInfo.of(1, "b"), RankInfo.of(3, "b"));
  private static final List<StageAssignment> STAGES = List.of(
      new StageAssignment(R0, 0, 0, 0, 2), new StageAssignment(R1, 0, 1, 2, 4), new StageAssignment(R3, 1, 0, 0, 4));
  private static final List<MicroBatchRange> IDS = List.of(new MicroBatchRange(0, 3), new MicroBatchRange(3, 5));
  private static final List<List<RankId>> OWNERS = List.of(List.of(R0, R3), List.of(R3), List.of(R1, R3, R1), List.of());

  private static Layout layout(List<RankInfo> ranks, List<StageAssignment> stages, List<MicroBatchRange> ids,
      List<List<RankId>> owners) {
    return new Layout(2, 4, 5, ranks, stages, ids, owners, "lost r2: replica 1 re-partitioned");
  }

  @Test
  void answersQueriesForReplicasOfDifferentDepths() {
    Layout l = layout(RANKS, STAGES, IDS, OWNERS);
    assertEquals("dp2xpp[2,1]@epoch2", l.name());
    assertEquals(2, l.dp());
    assertEquals(1, l.stageCount(1));
    assertEquals(List.of(R0, R1), l.ranksOfReplica(0));
    assertEquals(List.of(R3), l.ranksOfReplica(1));
    assertEquals(List.of(R1, R3), l.holdersOfLayer(3));
    assertEquals(List.of(R0, R3), l.holdersOfLayer(0));
    assertEquals(Optional.of(R1), l.nextRank(R0));
    assertEquals(Optional.of(R0), l.prevRank(R1));
    assertEquals(Optional.empty(), l.nextRank(R3));
    assertEquals(Optional.empty(), l.prevRank(R3));
    assertEquals(R1, l.ownerOfBlock(2, 2));
    assertEquals(List.of(new BlockId(0, 1), new BlockId(1, 0), new BlockId(2, 1)), l.blocksOwnedBy(R3));
    assertEquals(new MicroBatchRange(3, 5), l.microBatchesOf(1));
    assertEquals(List.of(R1, R3), l.ranksOnNode(NodeId.of("b")));
    assertTrue(l.describe().contains("replica 1 ids [3,5): r3@b L[0,4)"), l.describe());
    assertEquals(List.of(), LayoutValidator.violations(l, new ParamBlocks(10, new int[] {20, 5, 21, 0})));
  }

  @Test
  void canonicalOrderMakesEqualLayoutsEqual() {
    List<StageAssignment> reversed = new ArrayList<>(STAGES);
    Collections.reverse(reversed);
    List<RankInfo> ranks = new ArrayList<>(RANKS);
    Collections.reverse(ranks);
    assertEquals(layout(RANKS, STAGES, IDS, OWNERS), layout(ranks, reversed, IDS, OWNERS));
  }

  @Test
  void queriesNameWhatIsMissing() {
    Layout l = layout(RANKS, STAGES, IDS, OWNERS);
    assertMessage("r2 is not in layout dp2xpp[2,1]@epoch2", () -> l.stageOf(RankId.of(2)));
    assertMessage("no replica 2", () -> l.ranksOfReplica(2));
    assertMessage("no layer 4", () -> l.holdersOfLayer(4));
    assertMessage("layer 1 has 1 blocks, no block 1", () -> l.ownerOfBlock(1, 1));
  }

  @Test
  void everyBrokenInvariantIsNamed() {
    assertMessage("layer 2 has 2 canonical blocks but 3 owners", () -> LayoutValidator.require(
        layout(RANKS, STAGES, IDS, OWNERS), new ParamBlocks(10, new int[] {20, 5, 20, 0})));
    assertMessage("replica 0 stage 1 (r1) starts at layer 3 but the previous stage ends at 2", () -> layout(RANKS,
        List.of(STAGES.get(0), new StageAssignment(R1, 0, 1, 3, 4), STAGES.get(2)), IDS, OWNERS));
    assertMessage("replica 1 ends at layer 3 but the model has 4 layers", () -> layout(RANKS,
        List.of(STAGES.get(0), STAGES.get(1), new StageAssignment(R3, 1, 0, 0, 3)), IDS, OWNERS));
    assertMessage("replica 0 has stage 2 where stage 1 belongs", () -> layout(RANKS,
        List.of(STAGES.get(0), new StageAssignment(R1, 0, 2, 2, 4), STAGES.get(2)), IDS, OWNERS));
    assertMessage("replica 0 has no stages", () -> layout(RANKS,
        List.of(new StageAssignment(R0, 1, 0, 0, 2), new StageAssignment(R1, 1, 1, 2, 4),
            new StageAssignment(R3, 2, 0, 0, 4)), IDS, OWNERS));
    assertMessage("r1 runs more than one stage", () -> layout(RANKS,
        List.of(STAGES.get(0), STAGES.get(1), new StageAssignment(R1, 1, 0, 0, 4)), IDS, OWNERS));
    assertMessage("r3 is listed but runs no stage", () -> layout(RANKS, STAGES.subList(0, 2), IDS.subList(0, 1),
        List.of(List.of(R0), List.of(R0), List.of(R1), List.of())));
    assertMessage("r4 runs a stage but has no node", () -> layout(RANKS,
        List.of(STAGES.get(0), STAGES.get(1), STAGES.get(2), new StageAssignment(RankId.of(4), 2, 0, 0, 4)),
        List.of(new MicroBatchRange(0, 3), new MicroBatchRange(3, 4), new MicroBatchRange(4, 5)), OWNERS));
    assertMessage("r1 is listed twice", () -> layout(List.of(RANKS.get(0), RANKS.get(1), RankInfo.of(1, "c"),
        RANKS.get(2)), STAGES, IDS, OWNERS));
  }

  @Test
  void aRangeLeftOutShrinksTheBatch() {
    Layout full = layout(RANKS, STAGES, IDS, OWNERS);
    assertTrue(full.fullBatch());
    Layout partial = layout(RANKS, STAGES, List.of(new MicroBatchRange(0, 3), new MicroBatchRange(4, 5)), OWNERS);
    assertEquals(4, partial.batchMicroBatches());
    assertTrue(!partial.fullBatch());
  }

  @Test
  void standbyRanksRunNoStageAndOwnNothing() {
    Layout l = layout(RANKS, STAGES, IDS, OWNERS).withStandby(List.of(RankInfo.of(7, "a")));
    assertTrue(l.isStandby(RankId.of(7)));
    assertEquals(NodeId.of("a"), l.nodeOf(RankId.of(7)));
    assertEquals(List.of(R0, RankId.of(7)), l.ranksOnNode(NodeId.of("a")));
    assertEquals(4, l.allRanks().size());
    assertEquals(3, l.ranks().size());
    assertTrue(l.describe().contains("standby: r7@a"), l.describe());
    assertEquals(l, l.withEpoch(9).withEpoch(2));
    assertMessage("r3 is on standby and listed again", () -> layout(RANKS, STAGES, IDS, OWNERS)
        .withStandby(List.of(RankInfo.of(3, "b"))));
  }

  @Test
  void brokenMicroBatchesAndOwnersAreNamed() {
    assertMessage("micro-batch ids overlap at [2,5)", () -> layout(RANKS, STAGES,
        List.of(new MicroBatchRange(0, 3), new MicroBatchRange(2, 5)), OWNERS));
    assertMessage("micro-batch ranges end at 6 but a step has 5", () -> layout(RANKS, STAGES,
        List.of(new MicroBatchRange(0, 3), new MicroBatchRange(3, 6)), OWNERS));
    assertMessage("need one micro-batch range per replica: 2 replicas, 1 ranges", () -> layout(RANKS, STAGES,
        List.of(new MicroBatchRange(0, 5)), OWNERS));
    assertMessage("block L1b0 is owned by r1, which does not hold layer 1", () -> layout(RANKS, STAGES, IDS,
        List.of(List.of(R0, R3), List.of(R1), List.of(R1, R3, R1), List.of())));
    assertMessage("need one block-owner list per layer: 4 layers, 3 lists", () -> layout(RANKS, STAGES, IDS,
        OWNERS.subList(0, 3)));
    assertMessage("epoch must be >= 1, got 0", () -> new Layout(0, 4, 5, RANKS, STAGES, IDS, OWNERS, "x"));
    assertMessage("blank reason", () -> new Layout(1, 4, 5, RANKS, STAGES, IDS, OWNERS, " "));
    assertMessage("layers [2, 2) of r1 must be a non-empty range", () -> new StageAssignment(R1, 0, 0, 2, 2));
    assertMessage("micro-batch range [3, 3) must be non-empty", () -> new MicroBatchRange(3, 3));
  }
}
