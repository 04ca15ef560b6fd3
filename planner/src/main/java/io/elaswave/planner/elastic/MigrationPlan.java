package io.elaswave.planner.elastic;

import io.elaswave.engine.param.ParamBlocks;
import io.elaswave.planner.BlockId;
import io.elaswave.planner.Layout;
import io.elaswave.planner.RankId;
import io.elaswave.planner.StageAssignment;
import io.elaswave.planner.recovery.Measurements;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Rebalancing in the background after a recover-first plan: the balanced layout to move to, the
 * {@link Shadow}s that keep every block a rank gains there current at that rank while steps run
 * under the installed layout (whose holders keep computing it), and the transfers of the switch
 * at a step boundary, in which every shadowed block is served by its new holder to itself.
 */
public record MigrationPlan(Layout target, List<Shadow> shadows, List<Transfer> switchTransfers) {
  /** How a re-partition after a loss is carried out ({@code --migration}). */
  public enum Mode { BLOCKING, BACKGROUND }

  public MigrationPlan {
    shadows = List.copyOf(shadows);
    switchTransfers = List.copyOf(switchTransfers);
  }

  /**
   * The migration from {@code installed} to its balanced re-plan for the measured speeds (the
   * minimax partition wherever it is {@link ElasticPlanner#REPARTITION_GAIN} faster), or empty
   * when that moves no layer.
   */
  public static Optional<MigrationPlan> toward(Layout installed, Measurements m) {
    Layout target = ElasticPlanner.rebalance(installed, m, "migrated to the balanced plan");
    if (sameStages(installed, target)) {
      return Optional.empty();
    }
    ParamBlocks blocks = m.profile().paramBlocks();
    List<Shadow> shadows = new ArrayList<>();
    Set<List<Object>> shadowed = new HashSet<>();
    for (StageAssignment s : target.stages()) {
      for (int l = s.layerFrom(); l < s.layerTo(); l++) {
        if (installed.stageOf(s.rank()).holds(l)) {
          continue;
        }
        for (int b = 0; b < blocks.blocks(l).size(); b++) {
          shadows.add(new Shadow(installed.ownerOfBlock(l, b), s.rank(), l, b));
          shadowed.add(List.of(s.rank(), new BlockId(l, b)));
        }
      }
    }
    List<Transfer> switchTransfers = new ArrayList<>();
    for (Transfer t : TransferPlan.between(installed, target, Set.of(), SnapshotBuddies.of(installed), blocks)) {
      boolean local = shadowed.contains(List.of(t.to(), new BlockId(t.layer(), t.block())));
      switchTransfers.add(local ? new Transfer(t.to(), t.to(), t.layer(), t.block(), t.kind(),
          installed.ownerOfBlock(t.layer(), t.block())) : t);
    }
    return Optional.of(new MigrationPlan(target, shadows, switchTransfers));
  }

  /** The ranks that keep shadows. */
  public Set<RankId> holders() {
    Set<RankId> out = new HashSet<>();
    shadows.forEach(s -> out.add(s.holder()));
    return out;
  }

  /** The same migration, switching under layout epoch {@code epoch}. */
  public MigrationPlan atEpoch(long epoch) {
    return new MigrationPlan(target.withEpoch(epoch), shadows, switchTransfers);
  }

  private static boolean sameStages(Layout a, Layout b) {
    if (a.stages().size() != b.stages().size()) {
      return false;
    }
    for (int i = 0; i < a.stages().size(); i++) {
      StageAssignment x = a.stages().get(i);
      StageAssignment y = b.stages().get(i);
      if (!x.rank().equals(y.rank()) || x.layerFrom() != y.layerFrom() || x.layerTo() != y.layerTo()) {
        return false;
      }
    }
    return true;
  }
}
