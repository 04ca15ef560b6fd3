package io.elaswave.actors.rank;

import io.elaswave.engine.optim.AdamW;
import io.elaswave.engine.param.BlockRef;
import io.elaswave.protocol.runtime.BlockValues;
import io.elaswave.protocol.runtime.GroupMessage;
import io.elaswave.protocol.runtime.RankMessage.ApplyUpdate;
import io.elaswave.protocol.runtime.RankMessage.BlockUpdates;
import io.elaswave.protocol.runtime.RankMessage.GatherSent;
import io.elaswave.protocol.runtime.RankMessage.GradPartials;
import io.elaswave.protocol.runtime.SchedulerMessage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ZeRO-1 half of a step: reduce the owned blocks' partial sums and report their norms, apply
 * AdamW to them once the scheduler sends the clip factor, all-gather them, take the peers' blocks,
 * and report StepDone when all of that (and the buddy's snapshot ack) is in. A rollback point is
 * taken before the first change to the parameters, so the step can still be abandoned.
 */
final class ShardUpdate {
  private final RankState s;
  private final LayerGroups groups;
  private final BuddySnapshot snapshots;
  private final MigrationShadows shadows;
  private final DataGate gate;

  ShardUpdate(RankState s, LayerGroups groups, BuddySnapshot snapshots, MigrationShadows shadows, DataGate gate) {
    this.s = s;
    this.groups = groups;
    this.snapshots = snapshots;
    this.shadows = shadows;
    this.gate = gate;
  }

  void onGradPartials(GradPartials p) {
    p.partials().forEach(x -> s.shard.addPartial(p.step(), x));
    maybeReportNorms();
  }

  /** Once this rank's gradients are out and its owned blocks reduced, reports their norms. */
  void maybeReportNorms() {
    StepRun run = s.run();
    if (run != null && run.reduceSent && !run.normsSent && s.shard.reduce(run.step, s.layout.batchMicroBatches())) {
      s.scheduler.tell(new SchedulerMessage.NormReport(s.layout.epoch(), run.step, s.id(), s.shard.norms()));
      run.normsSent = true;
      snapshots.sendGradients(run.step); // to the buddy while the scheduler decides the clip factor
      shadows.sendGradients(run.step);
    }
  }

  void onApplyUpdate(ApplyUpdate m) {
    StepRun run = s.run();
    if (!s.currentEpoch(m.epoch()) || run == null || m.step() != run.step || !run.normsSent) {
      s.log.warn("rank {} ignores ApplyUpdate for step {} (epoch {})", s.id(), m.step(), m.epoch());
      return;
    }
    if (s.rollback == null) { // peers' blocks may have arrived first; the point was taken then
      s.rollback = RollbackPoint.capture(m.step() - 1, s.params, s.shard);
    }
    s.stateStep = m.step();
    run.meter.markApply();
    AdamW.StepScalars scalars = s.adamW.scalars(m.step(), m.lr(), m.gradScale());
    List<BlockValues> updated = s.shard.update(m.step(), s.params, s.adamW, scalars);
    run.meter.markUpdated();
    run.snapshotAcksPending = snapshots.afterUpdate(m.step(), scalars); // the buddy replays it meanwhile
    shadows.afterUpdate(m.step(), scalars); // never waited for
    Map<Integer, List<BlockValues>> byLayer = new LinkedHashMap<>();
    updated.forEach(v -> byLayer.computeIfAbsent(v.layer(), l -> new ArrayList<>()).add(v));
    byLayer.forEach((l, blocks) -> groups.tell(l, new GroupMessage.AllGather(s.layout.epoch(), m.step(), blocks,
        s.self)));
    run.gathersPending = byLayer.size();
    run.ownUpdated = true;
    gate.replay(s.self::tell);
    maybeFinish();
  }

  void onGatherSent(GatherSent m) {
    StepRun run = s.run();
    if (s.currentEpoch(m.epoch()) && run != null && run.step == m.step()) {
      run.gathersPending--;
      maybeFinish();
    }
  }

  void onBlockUpdates(BlockUpdates u) {
    if (s.rollback == null) {
      s.rollback = RollbackPoint.capture(u.step() - 1, s.params, s.shard);
    }
    s.stateStep = u.step();
    StepRun run = s.run();
    for (BlockValues v : u.blocks()) {
      BlockRef b = s.paramBlocks.blocks(v.layer()).get(v.block());
      System.arraycopy(v.values().values(), 0, s.params[v.layer()], b.from(), b.size());
      run.remoteReceived++;
    }
    maybeFinish();
  }

  /** Done when owned blocks are updated, snapshotted and sent, and every peer's block arrived. */
  void maybeFinish() {
    StepRun run = s.run();
    if (run.ownUpdated && run.gathersPending == 0 && run.snapshotAcksPending == 0
        && run.remoteReceived == run.remoteExpected) {
      long[] t = s.traffic.drain();
      s.scheduler.tell(new SchedulerMessage.StepDone(s.layout.epoch(), run.step, s.id(), s.shard.digests(s.params),
          new SchedulerMessage.RankTraffic(t[0], t[1], t[2], t[3]), run.meter.report(s.settings.clock().getAsDouble())));
      s.doneStep = run.step;
      s.endRun();
    }
  }
}
