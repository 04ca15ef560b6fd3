package io.elaswave.persistence;

import io.elaswave.engine.model.ModelConfig;
import io.elaswave.engine.train.TrainConfig;
import io.elaswave.planner.Layout;
import io.elaswave.planner.ModelProfile;
import io.elaswave.planner.PlanRequest;
import io.elaswave.planner.RankInfo;
import io.elaswave.planner.StaticPlanner;
import io.elaswave.protocol.runtime.JobSpec;
import java.util.ArrayList;
import java.util.List;

/** A real job and plan (tiny model, dp2 x pp2 on two nodes) and made-up step results for it. */
final class Fixtures {
  private Fixtures() {}

  static JobSpec spec() {
    return new JobSpec(TrainConfig.defaults("tiny"), 2, 2, "");
  }

  static JobSpec otherSpec() {
    return new JobSpec(TrainConfig.defaults("tiny").withSteps(50), 2, 2, "");
  }

  static Layout layout() {
    return StaticPlanner.plan(PlanRequest.of(RankInfo.packed(4, 2, "node-"), 2, 2, 4,
        ModelProfile.estimate(ModelConfig.preset("tiny", 65), 2)));
  }

  /** Every block of the layout, with a digest that depends on the step. */
  static List<BlockDigestEntry> blockDigests(Layout layout, long step) {
    List<BlockDigestEntry> out = new ArrayList<>();
    for (int l = 0; l < layout.layerCount(); l++) {
      for (int b = 0; b < layout.blockCount(l); b++) {
        out.add(new BlockDigestEntry(l, b, digest(step) ^ ((long) l << 20) ^ b));
      }
    }
    return out;
  }

  static long digest(long step) {
    return 0x9E3779B97F4A7C15L * (step + 1);
  }

  static float loss(long step) {
    return 4.2f - 0.1f * step;
  }
}
