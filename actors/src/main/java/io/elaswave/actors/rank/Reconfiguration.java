package io.elaswave.actors.rank;

import io.elaswave.actors.group.TensorBatches;
import io.elaswave.engine.param.BlockRef;
import io.elaswave.engine.param.Digest;
import io.elaswave.planner.BlockId;
import io.elaswave.planner.Layout;
import io.elaswave.planner.RankId;
import io.elaswave.planner.elastic.SnapshotBuddies;
import io.elaswave.planner.elastic.Transfer;
import io.elaswave.protocol.FloatTensor;
import io.elaswave.protocol.runtime.MovedBlock;
import io.elaswave.protocol.runtime.RankMessage.AdoptLayout;
import io.elaswave.protocol.runtime.RankMessage.ChangeCommitted;
import io.elaswave.protocol.runtime.RankMessage.Reconfigure;
import io.elaswave.protocol.runtime.RankMessage.StateTransfer;
import io.elaswave.protocol.runtime.RankRefs;
import io.elaswave.protocol.runtime.SchedulerMessage;
import io.elaswave.protocol.runtime.StateBlock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Taking a layout: the first one, or a re-plan. A Reconfigure rolls back to the committed step,
 * sends the transfers this rank is the source of, waits for those it is the target of, checks
 * received parameters against the committed digests and installs the layout. Until the scheduler
 * commits the change, the rank keeps what it held before ({@link Prior}) to undo it if replaced.
 */
final class Reconfiguration {
  /** A layout change in progress: the order and the state received so far. */
  static final class Pending {
    final Reconfigure order;
    final int expected;
    final Map<BlockId, MovedBlock> params = new HashMap<>();
    final Map<BlockId, MovedBlock> moments = new HashMap<>();

    Pending(Reconfigure order, int expected) {
      this.order = order;
      this.expected = expected;
    }

    void add(MovedBlock b) {
      BlockId id = new BlockId(b.layer(), b.block());
      var into = b.kind() == Transfer.Kind.PARAMS ? params : moments;
      if (into.put(id, b) != null) {
        throw new IllegalArgumentException("block " + id + " " + b.kind() + " arrived twice");
      }
    }

    boolean complete() {
      return params.size() + moments.size() == expected;
    }

    long epoch() {
      return order.next().epoch();
    }
  }

  /** The rank's state before an uncommitted layout change, to undo it if the change is replaced. */
  private record Prior(Layout layout, List<RankRefs> directory, float[][] params, OwnedShard shard) {}

  private final RankState s;
  private final LayerGroups groups;
  private final BuddySnapshot snapshots;
  private final MigrationShadows shadows;
  private final DataGate gate;
  private Prior prior;

  Reconfiguration(RankState s, LayerGroups groups, BuddySnapshot snapshots, MigrationShadows shadows, DataGate gate) {
    this.s = s;
    this.groups = groups;
    this.snapshots = snapshots;
    this.shadows = shadows;
    this.gate = gate;
  }

  /** The job's first layout: initial parameters, and step 0 committed at the buddy. */
  void onAdoptLayout(AdoptLayout m) {
    s.scheduler = m.scheduler();
    s.params = new float[s.model.layerCount()][];
    if (!m.layout().isStandby(s.id())) {
      var mine = m.layout().stageOf(s.id());
      for (int l = mine.layerFrom(); l < mine.layerTo(); l++) {
        s.params[l] = s.model.initParams(l, s.config.seed());
      }
    }
    adopt(m.layout(), m.directory(), s.ownedRefs(m.layout()));
    // step 0 is committed too: the job starts once every buddy holds it, so a rank lost during
    // step 1 is restored from it
    snapshots.sendCommitted(0);
    gate.replay(s.self::tell);
  }

  void onChangeCommitted(ChangeCommitted m) {
    if (prior != null && s.currentEpoch(m.epoch())) {
      prior = null;
    }
  }

  void onReconfigure(Reconfigure m) {
    try {
      reconfigure(m);
    } catch (RuntimeException e) { // report, never crash silently: the scheduler decides
      s.endReconfiguring();
      m.scheduler().tell(new SchedulerMessage.ReconfigureFailed(m.next().epoch(), s.id(), e.getMessage()));
    }
  }

  private void reconfigure(Reconfigure m) {
    long committed = m.committedStep();
    snapshots.forgetInstall();
    boolean waited = s.onStandby(); // like a joiner, a standby rank holds nothing: all of it arrives by transfer
    if (s.layout == null && s.params == null) { // a joining rank: everything it needs arrives by transfer
      s.params = new float[s.model.layerCount()][];
      s.shard = new OwnedShard(s.model, s.tree, List.of());
    }
    if (prior != null && s.layout.epoch() == m.baseEpoch()) {
      prior = null; // the change this rank holds was installed everywhere: the plan starts from it
    } else if (prior != null) { // the previous change was never committed: undo it, re-plan from before it
      restorePrior();
    }
    if (s.layout != null && s.layout.epoch() != m.baseEpoch()) {
      throw new IllegalStateException("rank " + s.id() + " holds layout epoch " + s.layout.epoch()
          + ", but the plan starts from epoch " + m.baseEpoch());
    }
    s.endReconfiguring();
    if (s.layout != null && !waited && s.stateStep < committed) { // a joiner has nothing yet; anyone else must
      throw new IllegalStateException("rank " + s.id() + " holds step " + s.stateStep + ", behind the committed step "
          + committed);
    }
    if (s.stateStep > committed && !waited) {
      if (s.rollback == null || s.rollback.step() != committed) {
        throw new IllegalStateException("rank " + s.id() + " cannot roll back from step " + s.stateStep
            + " to " + committed);
      }
      s.rollback.restore(s.params, s.shard);
    }
    s.rollback = null;
    s.endRun();
    s.doneStep = committed;
    s.stateStep = committed;
    s.scheduler = m.scheduler();
    snapshots.pool().discardAfter(committed);
    sendTransfers(m);
    shadows.stop(); // served (a switch's own blocks come from them) or void under the next layout
    int incoming = (int) m.transfers().stream().filter(t -> t.to().equals(s.id())).count();
    s.phase = new RankPhase.Reconfiguring(new Pending(m, incoming));
    gate.replay(s.self::tell); // transfers that raced ahead of this order; older-epoch data is dropped there
    maybeInstall();
  }

  private void sendTransfers(Reconfigure m) {
    Map<RankId, List<MovedBlock>> byTarget = new LinkedHashMap<>();
    for (Transfer t : m.transfers()) {
      if (t.from().equals(s.id())) {
        byTarget.computeIfAbsent(t.to(), x -> new ArrayList<>()).add(moved(t, m.committedStep()));
      }
    }
    Map<RankId, RankRefs> targets = new HashMap<>();
    m.directory().forEach(r -> targets.put(r.rank(), r));
    byTarget.forEach((to, blocks) -> {
      for (List<MovedBlock> batch : TensorBatches.split(blocks, b -> b.first().length() + b.second().length(),
          s.settings.maxFloatsPerMessage())) {
        s.traffic.sent(batch.stream().mapToInt(b -> b.first().length() + b.second().length()).sum());
        targets.get(to).inbox().tell(new StateTransfer(m.next().epoch(), batch));
      }
    });
  }

  /** The state a transfer asks for: live, or from the snapshot kept for a lost rank. */
  private MovedBlock moved(Transfer t, long committed) {
    BlockRef b = s.paramBlocks.blocks(t.layer()).get(t.block());
    FloatTensor none = new FloatTensor(new float[0]);
    if (t.fromSnapshot()) {
      // a rank serving itself: a migration's switch (its shadow) or a lost rank's buddy taking the
      // lost layers (its pool); both are checksummed copies of the owner's committed block
      StateBlock kept = t.from().equals(t.to())
          ? shadows.take(t.ofRank(), committed, t.layer(), t.block())
              .orElseGet(() -> snapshots.pool().get(t.ofRank(), committed, t.layer(), t.block()))
          : snapshots.pool().get(t.ofRank(), committed, t.layer(), t.block());
      if (kept == null) {
        throw new IllegalStateException("no intact snapshot of " + t.ofRank() + " block " + t.layer() + "/" + t.block()
            + " at step " + committed);
      }
      if (t.kind() == Transfer.Kind.PARAMS && kept.params().length() == 0) {
        throw new IllegalStateException("parameters of block " + t.layer() + "/" + t.block() + " lived only in the"
            + " replicas that were lost with " + t.ofRank());
      }
      return t.kind() == Transfer.Kind.PARAMS ? new MovedBlock(t.layer(), t.block(), t.kind(), kept.params(), none)
          : new MovedBlock(t.layer(), t.block(), t.kind(), kept.m(), kept.v());
    }
    if (t.kind() == Transfer.Kind.PARAMS) {
      return new MovedBlock(t.layer(), t.block(), t.kind(),
          new FloatTensor(Arrays.copyOfRange(s.params[t.layer()], b.from(), b.to())), none);
    }
    float[][] mv = s.shard.moments(t.layer(), t.block());
    return new MovedBlock(t.layer(), t.block(), t.kind(), new FloatTensor(mv[0].clone()),
        new FloatTensor(mv[1].clone()));
  }

  /** A transfer of the change in progress (the gate holds any other). */
  void onStateTransfer(StateTransfer t) {
    Pending pending = s.pending();
    Reconfigure order = pending.order;
    try {
      t.blocks().forEach(pending::add);
      maybeInstall();
    } catch (RuntimeException e) {
      s.endReconfiguring();
      order.scheduler().tell(new SchedulerMessage.ReconfigureFailed(order.next().epoch(), s.id(), e.getMessage()));
    }
  }

  /** Once every expected block is in: check parameters against the committed digests, take the layout. */
  private void maybeInstall() {
    Pending pending = s.pending();
    if (pending == null || !pending.complete()) {
      return;
    }
    Reconfigure order = pending.order;
    Map<BlockId, Long> digests = new HashMap<>();
    order.committedDigests().forEach(d -> digests.put(new BlockId(d.layer(), d.block()), d.digest()));
    if (!order.next().isStandby(s.id())) {
      var next = order.next().stageOf(s.id());
      for (int l = next.layerFrom(); l < next.layerTo(); l++) {
        if (s.params[l] == null) {
          s.params[l] = new float[s.paramBlocks.layerSize(l)];
        }
      }
    }
    for (MovedBlock p : pending.params.values()) {
      BlockRef b = s.paramBlocks.blocks(p.layer()).get(p.block());
      Long want = digests.get(new BlockId(p.layer(), p.block()));
      long got = Digest.ofRange(p.first().values(), 0, b.size());
      if (want != null && want != got) {
        s.endReconfiguring();
        order.scheduler().tell(new SchedulerMessage.ReconfigureFailed(order.next().epoch(), s.id(),
            "block " + b.layer() + "/" + b.block() + " arrived with digest " + Digest.hex(got) + ", committed "
                + Digest.hex(want)));
        return;
      }
      System.arraycopy(p.first().values(), 0, s.params[p.layer()], b.from(), b.size());
    }
    prior = s.layout == null ? null : new Prior(s.layout, List.copyOf(s.directory.values()), s.params.clone(),
        s.shard);
    java.util.Set<BlockId> atBuddy = s.layout == null ? java.util.Set.of()
        : snapshots.stillHeldUnder(order.next(), s.doneStep);
    adopt(order.next(), order.directory(), s.ownedRefs(order.next()));
    for (MovedBlock mv : pending.moments.values()) {
      s.shard.loadMoments(mv.layer(), mv.block(), mv.first().values(), mv.second().values());
    }
    s.endReconfiguring();
    s.scheduler = order.scheduler();
    snapshots.sendCommitted(s.doneStep, atBuddy); // a new buddy gets the committed state; a kept one what it lacks
    gate.replay(s.self::tell);
  }

  /** Takes a layout: stage, peers, buddy, a shard for the owned blocks, groups edited in place. */
  private void adopt(Layout next, List<RankRefs> peers, List<BlockRef> owned) {
    OwnedShard previous = s.shard;
    s.shard = new OwnedShard(s.model, s.tree, owned);
    if (previous != null) {
      for (BlockRef b : owned) {
        float[][] mv = previous.moments(b.layer(), b.block());
        if (mv != null) {
          s.shard.loadMoments(b.layer(), b.block(), mv[0], mv[1]);
        }
      }
    }
    place(next, peers);
    s.endRun();
    if (s.phase instanceof RankPhase.Unplaced) {
      s.settle(); // placed now
    }
    for (int l = 0; l < s.params.length; l++) {
      if (s.stage == null || !s.stage.holds(l)) {
        s.params[l] = null;
        groups.stop(l);
      }
    }
    if (s.stage != null) {
      for (int l = s.stage.layerFrom(); l < s.stage.layerTo(); l++) {
        groups.adopt(l, s.layout, s.directory);
      }
    }
  }

  /**
   * Undoes an uncommitted change: back to the layout, parameters and shard held before it. Groups
   * keep their newer epoch and that change's members; the next adopt edits them from the members
   * they have ({@link LayerGroups#adopt}).
   */
  private void restorePrior() {
    Prior p = prior;
    prior = null;
    s.params = p.params().clone();
    s.shard = p.shard();
    place(p.layout(), p.directory());
    s.endRun();
  }

  private void place(Layout layout, List<RankRefs> peers) {
    s.layout = layout;
    s.directory = new LinkedHashMap<>();
    peers.forEach(r -> s.directory.put(r.rank(), r));
    s.stage = layout.isStandby(s.id()) ? null : layout.stageOf(s.id());
    s.buddy = SnapshotBuddies.of(layout).get(s.id()); // null on standby
  }
}
