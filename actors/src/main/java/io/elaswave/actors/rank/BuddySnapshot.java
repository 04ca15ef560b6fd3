package io.elaswave.actors.rank;

import io.elaswave.actors.group.TensorBatches;
import io.elaswave.engine.optim.AdamW;
import io.elaswave.engine.param.BlockRef;
import io.elaswave.planner.BlockId;
import io.elaswave.protocol.FloatTensor;
import io.elaswave.protocol.runtime.BlockDigest;
import io.elaswave.protocol.runtime.BlockValues;
import io.elaswave.protocol.runtime.RankMessage.SnapshotApply;
import io.elaswave.protocol.runtime.RankMessage.SnapshotGrads;
import io.elaswave.protocol.runtime.RankMessage.SnapshotPut;
import io.elaswave.protocol.runtime.RankMessage.SnapshotRefused;
import io.elaswave.protocol.runtime.RankMessage.SnapshotStored;
import io.elaswave.protocol.runtime.SchedulerMessage;
import io.elaswave.protocol.runtime.StateBlock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * In-memory replication of owned state to a buddy on another node, which keeps it in a
 * {@link SnapshotPool}; a lost rank's state is rebuilt from there. Once the buddy holds the
 * previous step, a step costs it the owned blocks' reduced gradients — sent while the owner
 * waits for the clip factor, so off the critical path, and half the bytes of m and v — and one
 * small message with the step's AdamW scalars and the owner's checksums: the buddy replays the
 * update ({@link SnapshotReplay}), checks every block and confirms. StepDone still waits for that
 * confirmation, so a committed step is always held by the buddy. Without a base (a new buddy,
 * a block newly owned, a refused replay) the full state goes instead; after a re-plan that keeps
 * the buddy, only the blocks it lacks are sent.
 */
final class BuddySnapshot {
  private final RankState s;
  private final boolean enabled;
  private final boolean replay;
  private final SnapshotPool pool = new SnapshotPool();
  private final GradientStash gradients = new GradientStash(); // as buddy
  private int installAcksPending; // a new buddy must hold the committed snapshot before training resumes
  private long buddyHolds = -1; // the last step the current buddy confirmed, under this layout
  private long heldBeforeChange = -1; // what it had confirmed when the change in progress began
  private long gradientsSent = -1; // the step whose gradients went to the buddy

  BuddySnapshot(RankState s, boolean enabled, boolean replay) {
    this.s = s;
    this.enabled = enabled;
    this.replay = replay;
  }

  SnapshotPool pool() {
    return pool;
  }

  private boolean replicating() {
    return enabled && !s.onStandby(); // a standby rank owns nothing to keep
  }

  /** Layers other replicas also hold: their parameters live there, the buddy keeps moments only. */
  private Set<Integer> replicatedLayers() {
    Set<Integer> replicated = new HashSet<>();
    for (int l = s.stage.layerFrom(); l < s.stage.layerTo(); l++) {
      if (s.layout.holdersOfLayer(l).size() > 1) {
        replicated.add(l);
      }
    }
    return replicated;
  }

  /** Sends the owned blocks' full state after {@code step} to the buddy; returns the acks to wait for. */
  int send(long step) {
    return send(step, Set.of());
  }

  /** As {@link #send(long)}, leaving out blocks the buddy already holds at {@code step}. */
  private int send(long step, Set<BlockId> held) {
    if (!replicating()) {
      return 0;
    }
    Set<Integer> replicated = replicatedLayers();
    FloatTensor none = new FloatTensor(new float[0]);
    List<StateBlock> state = s.shard.state(s.params).stream()
        .filter(b -> !held.contains(new BlockId(b.layer(), b.block())))
        .map(b -> replicated.contains(b.layer()) ? new StateBlock(b.layer(), b.block(), none, b.m(), b.v()) : b)
        .toList();
    if (state.isEmpty()) {
      return 0;
    }
    if (s.buddy.equals(s.id())) {
      pool.put(s.id(), step, state);
      return 0;
    }
    List<List<StateBlock>> batches = TensorBatches.split(state, BuddySnapshot::floats,
        s.settings.maxFloatsPerMessage());
    for (List<StateBlock> batch : batches) {
      s.traffic.snapshot(batch.stream().mapToInt(BuddySnapshot::floats).sum());
      s.directory.get(s.buddy).inbox().tell(new SnapshotPut(s.layout.epoch(), step, s.id(), s.self, batch));
    }
    return batches.size();
  }

  /** Owner, its blocks reduced: their gradients go to a buddy that holds the previous step. */
  void sendGradients(long step) {
    gradientsSent = -1;
    if (!replay || !replicating() || s.buddy.equals(s.id()) || buddyHolds != step - 1) {
      return;
    }
    List<BlockValues> grads = s.shard.reducedGradients();
    for (List<BlockValues> batch : TensorBatches.split(grads, g -> g.values().length(),
        s.settings.maxFloatsPerMessage())) {
      s.traffic.snapshot(batch.stream().mapToInt(g -> g.values().length()).sum());
      s.directory.get(s.buddy).inbox().tell(new SnapshotGrads(s.layout.epoch(), step, s.id(), batch));
    }
    gradientsSent = step;
  }

  /** Owner, its blocks updated: the buddy replays the step, or gets the full state; returns the acks to wait for. */
  int afterUpdate(long step, AdamW.StepScalars scalars) {
    if (gradientsSent != step) {
      return send(step);
    }
    Set<Integer> replicated = replicatedLayers();
    List<BlockDigest> checksums = new ArrayList<>();
    for (BlockRef b : s.shard.blocks()) {
      float[][] mv = s.shard.moments(b.layer(), b.block());
      float[] p = replicated.contains(b.layer()) ? null : s.params[b.layer()];
      checksums.add(new BlockDigest(b.layer(), b.block(), SnapshotReplay.checksum(p, b.from(), b.to(), mv[0], mv[1])));
    }
    s.directory.get(s.buddy).inbox().tell(new SnapshotApply(s.layout.epoch(), step, s.id(), s.self, scalars.lr(),
        scalars.gradScale(), scalars.correction1(), scalars.correction2(), checksums));
    return 1;
  }

  /**
   * Replicates the committed state of {@code step} under the layout just taken, and reports
   * Reconfigured once the buddy holds it (at once if it needs nothing).
   */
  void sendCommitted(long step) {
    sendCommitted(step, Set.of());
  }

  /**
   * As {@link #sendCommitted(long)} after a re-plan: blocks the buddy already holds at {@code step}
   * in the form the new layout needs ({@link #stillHeldUnder}) are not sent again.
   */
  void sendCommitted(long step, Set<BlockId> held) {
    installAcksPending = send(step, held);
    if (installAcksPending == 0 && !held.isEmpty()) {
      buddyHolds = step; // nothing was missing: the next step replays at once
    }
    if (installAcksPending == 0) {
      s.scheduler.tell(new SchedulerMessage.Reconfigured(s.layout.epoch(), s.id()));
    }
  }

  /** A layout change is starting: acks owed for the previous one no longer count, and the buddy may change. */
  void forgetInstall() {
    installAcksPending = 0;
    heldBeforeChange = buddyHolds;
    buddyHolds = -1;
    gradientsSent = -1;
  }

  /**
   * Before taking {@code next}: the owned blocks whose copy at the buddy after {@code committed}
   * stays exact under it — the buddy is the same rank, it confirmed that step, this rank still
   * owns the block, and whether the copy keeps parameters (the layer lives in one replica) is
   * unchanged. Those need not be sent again; a new buddy gets everything.
   */
  Set<BlockId> stillHeldUnder(io.elaswave.planner.Layout next, long committed) {
    if (!replicating() || s.buddy == null || s.buddy.equals(s.id()) || heldBeforeChange < committed
        || next.isStandby(s.id()) || !s.buddy.equals(io.elaswave.planner.elastic.SnapshotBuddies.of(next).get(s.id()))) {
      return Set.of();
    }
    Set<Integer> replicatedBefore = replicatedLayers();
    Set<BlockId> held = new HashSet<>();
    for (BlockRef b : s.shard.blocks()) {
      boolean replicatedAfter = next.holdersOfLayer(b.layer()).size() > 1;
      if (next.ownerOfBlock(b.layer(), b.block()).equals(s.id())
          && replicatedAfter == replicatedBefore.contains(b.layer())) {
        held.add(new BlockId(b.layer(), b.block()));
      }
    }
    return held;
  }

  /** As buddy: keeps a peer's full snapshot and confirms it. */
  void store(SnapshotPut p) {
    pool.put(p.ofRank(), p.step(), p.blocks());
    p.owner().tell(new SnapshotStored(p.epoch(), p.step(), p.ofRank()));
  }

  /** As buddy: holds a peer's gradients until its scalars arrive. */
  void stash(SnapshotGrads g) {
    gradients.put(g.ofRank(), g.step(), g.grads());
  }

  /** As buddy: advances the peer's snapshot by its step, checks every block, confirms or refuses. */
  void replay(SnapshotApply a) {
    AdamW.StepScalars scalars = new AdamW.StepScalars(a.lr(), a.gradScale(), a.correction1(), a.correction2());
    SnapshotReplay.Outcome done = SnapshotReplay.replayStep(pool, a.ofRank(), a.step(),
        gradients.take(a.ofRank(), a.step()), a.checksums(), s, scalars);
    if (done.problem() != null) {
      s.log.warn("rank {} cannot replay {}'s snapshot to step {}: {}", s.id(), a.ofRank(), a.step(), done.problem());
      a.owner().tell(new SnapshotRefused(a.epoch(), a.step(), a.ofRank(), done.problem()));
      return;
    }
    a.owner().tell(new SnapshotStored(a.epoch(), a.step(), a.ofRank()));
  }

  /** Counts the buddy's ack of a current-epoch snapshot; true if it was the running step's. */
  boolean acknowledged(SnapshotStored m) {
    buddyHolds = Math.max(buddyHolds, m.step());
    StepRun run = s.run();
    if (run != null && run.step == m.step()) {
      run.snapshotAcksPending--;
      return true;
    }
    if (installAcksPending > 0 && m.step() == s.doneStep && --installAcksPending == 0) {
      s.scheduler.tell(new SchedulerMessage.Reconfigured(s.layout.epoch(), s.id()));
    }
    return false;
  }

  /** The buddy refused a replay: the running step's full state goes instead; true if that step is running. */
  boolean refused(SnapshotRefused m) {
    StepRun run = s.run();
    if (run == null || run.step != m.step()) {
      return false;
    }
    s.log.warn("rank {}: buddy refused the replay of step {} ({}); sending the full state", s.id(), m.step(),
        m.reason());
    buddyHolds = -1;
    run.snapshotAcksPending += send(m.step()) - 1;
    return true;
  }

  /** Floats a kept block carries (parameters if any, m, v). */
  static int floats(StateBlock b) {
    return b.params().length() + b.m().length() + b.v().length();
  }
}
