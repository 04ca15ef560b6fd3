package io.elaswave.actors.rank;

import io.elaswave.actors.group.TensorBatches;
import io.elaswave.protocol.FloatTensor;
import io.elaswave.protocol.runtime.RankMessage.SnapshotPut;
import io.elaswave.protocol.runtime.RankMessage.SnapshotStored;
import io.elaswave.protocol.runtime.SchedulerMessage;
import io.elaswave.protocol.runtime.StateBlock;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * In-memory replication of owned state: after each update a rank sends its owned blocks to its
 * buddy, and keeps, as buddy of others, their snapshots in a {@link SnapshotPool}. A lost rank's
 * state is rebuilt from its buddy's pool. After a layout change the committed state goes to the
 * (possibly new) buddy before the rank reports Reconfigured.
 */
final class BuddySnapshot {
  private final RankState s;
  private final boolean enabled;
  private final SnapshotPool pool = new SnapshotPool();
  private int installAcksPending; // a new buddy must hold the committed snapshot before training resumes

  BuddySnapshot(RankState s, boolean enabled) {
    this.s = s;
    this.enabled = enabled;
  }

  SnapshotPool pool() {
    return pool;
  }

  /** Sends the owned blocks' state after {@code step} to the buddy; returns the acks to wait for. */
  int send(long step) {
    if (!enabled || s.onStandby()) { // a standby rank owns nothing to keep
      return 0;
    }
    // a layer other replicas also hold keeps its parameters there: its buddy needs the moments only
    Set<Integer> replicated = new HashSet<>();
    for (int l = s.stage.layerFrom(); l < s.stage.layerTo(); l++) {
      if (s.layout.holdersOfLayer(l).size() > 1) {
        replicated.add(l);
      }
    }
    FloatTensor none = new FloatTensor(new float[0]);
    List<StateBlock> state = s.shard.state(s.params).stream()
        .map(b -> replicated.contains(b.layer()) ? new StateBlock(b.layer(), b.block(), none, b.m(), b.v()) : b)
        .toList();
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

  /**
   * Replicates the committed state of {@code step} under the layout just taken, and reports
   * Reconfigured once the buddy holds it (at once if it needs nothing).
   */
  void sendCommitted(long step) {
    installAcksPending = send(step);
    if (installAcksPending == 0) {
      s.scheduler.tell(new SchedulerMessage.Reconfigured(s.layout.epoch(), s.id()));
    }
  }

  /** A layout change is starting: acks owed for the previous one no longer count. */
  void forgetInstall() {
    installAcksPending = 0;
  }

  /** As buddy: keeps a peer's snapshot and confirms it. */
  void store(SnapshotPut p) {
    pool.put(p.ofRank(), p.step(), p.blocks());
    p.owner().tell(new SnapshotStored(p.epoch(), p.step(), p.ofRank()));
  }

  /** Counts the buddy's ack of a current-epoch snapshot; true if it was the running step's. */
  boolean acknowledged(SnapshotStored m) {
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

  private static int floats(StateBlock b) {
    return b.params().length() + b.m().length() + b.v().length();
  }
}
