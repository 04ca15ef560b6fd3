package io.elaswave.actors.rank;

import io.elaswave.actors.group.TensorBatches;
import io.elaswave.engine.optim.AdamW;
import io.elaswave.engine.param.BlockRef;
import io.elaswave.planner.BlockId;
import io.elaswave.planner.RankId;
import io.elaswave.planner.elastic.Shadow;
import io.elaswave.protocol.FloatTensor;
import io.elaswave.protocol.runtime.BlockDigest;
import io.elaswave.protocol.runtime.BlockValues;
import io.elaswave.protocol.runtime.RankMessage.ShadowApply;
import io.elaswave.protocol.runtime.RankMessage.ShadowGrads;
import io.elaswave.protocol.runtime.RankMessage.ShadowRefused;
import io.elaswave.protocol.runtime.RankMessage.ShadowStart;
import io.elaswave.protocol.runtime.RankMessage.ShadowState;
import io.elaswave.protocol.runtime.SchedulerMessage;
import io.elaswave.protocol.runtime.StateBlock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A background migration's shadows (see {@link io.elaswave.planner.elastic.MigrationPlan}). As
 * owner of shadowed blocks: after each step, a holder that has the previous step gets the
 * step's reduced gradients (sent while the clip factor is decided) and its AdamW scalars with
 * checksums, and replays the update as a buddy does; any other holder gets the full state. None
 * of it is waited for: the step commits as before, and the switch to the balanced layout comes
 * only once every holder is current. As holder: keeps the copies, reports each step it holds
 * them all at, and serves them to itself in the switch's transfers.
 */
final class MigrationShadows {
  private final RankState s;
  private long epoch = -1; // the layout the shadows run under; -1: none
  private Map<RankId, Set<BlockId>> outgoing = Map.of(); // as owner: holder → its blocks of mine
  private final Map<RankId, Long> holderHas = new HashMap<>(); // as owner: the step each holder holds (assumed)
  private final Map<RankId, Long> gradientsSent = new HashMap<>();
  private List<Shadow> incoming = List.of(); // as holder
  private org.apache.pekko.actor.typed.ActorRef<SchedulerMessage> scheduler;
  private final SnapshotPool pool = new SnapshotPool();
  private final GradientStash gradients = new GradientStash();
  private long reported = -1;

  MigrationShadows(RankState s) {
    this.s = s;
  }

  void start(ShadowStart m) {
    stop();
    epoch = m.epoch();
    scheduler = m.scheduler();
    outgoing = m.shadows().stream().filter(x -> x.owner().equals(s.id())).collect(Collectors.groupingBy(
        Shadow::holder, LinkedHashMap::new, Collectors.mapping(x -> new BlockId(x.layer(), x.block()), Collectors.toSet())));
    incoming = m.shadows().stream().filter(x -> x.holder().equals(s.id())).toList();
  }

  /** The layout changed (or the migration ended): every copy and duty goes. */
  void stop() {
    epoch = -1;
    outgoing = Map.of();
    incoming = List.of();
    holderHas.clear();
    gradientsSent.clear();
    gradients.clear();
    pool.clear();
    reported = -1;
  }

  private boolean active() {
    return epoch >= 0 && s.layout != null && s.layout.epoch() == epoch;
  }

  // ---- as owner ------------------------------------------------------------------------------

  /** Owner, its blocks reduced: gradients to every holder that has the previous step. */
  void sendGradients(long step) {
    gradientsSent.clear();
    if (!active()) {
      return;
    }
    List<BlockValues> all = s.shard.reducedGradients();
    outgoing.forEach((holder, ids) -> {
      if (holderHas.getOrDefault(holder, -1L) == step - 1) {
        List<BlockValues> mine = all.stream().filter(v -> ids.contains(new BlockId(v.layer(), v.block())))
            .map(v -> new BlockValues(v.layer(), v.block(), new FloatTensor(v.values().values().clone()))).toList();
        for (List<BlockValues> batch : TensorBatches.split(mine, v -> v.values().length(),
            s.settings.maxFloatsPerMessage())) {
          s.traffic.snapshot(batch.stream().mapToInt(v -> v.values().length()).sum());
          s.directory.get(holder).inbox().tell(new ShadowGrads(epoch, step, s.id(), batch));
        }
        gradientsSent.put(holder, step);
      }
    });
  }

  /** Owner, its blocks updated: each holder replays the step, or gets the full state. */
  void afterUpdate(long step, AdamW.StepScalars scalars) {
    if (!active()) {
      return;
    }
    outgoing.forEach((holder, ids) -> {
      if (gradientsSent.getOrDefault(holder, -1L) == step) {
        List<BlockDigest> checksums = new ArrayList<>();
        for (BlockRef b : s.shard.blocks()) {
          if (ids.contains(new BlockId(b.layer(), b.block()))) {
            float[][] mv = s.shard.moments(b.layer(), b.block());
            checksums.add(new BlockDigest(b.layer(), b.block(),
                SnapshotReplay.checksum(s.params[b.layer()], b.from(), b.to(), mv[0], mv[1])));
          }
        }
        s.directory.get(holder).inbox().tell(new ShadowApply(epoch, step, s.id(), s.self, scalars.lr(),
            scalars.gradScale(), scalars.correction1(), scalars.correction2(), checksums));
      } else {
        List<StateBlock> state = s.shard.state(s.params).stream()
            .filter(b -> ids.contains(new BlockId(b.layer(), b.block()))).toList();
        for (List<StateBlock> batch : TensorBatches.split(state, BuddySnapshot::floats,
            s.settings.maxFloatsPerMessage())) {
          s.traffic.snapshot(batch.stream().mapToInt(BuddySnapshot::floats).sum());
          s.directory.get(holder).inbox().tell(new ShadowState(epoch, step, s.id(), batch));
        }
      }
      holderHas.put(holder, step); // messages to one holder arrive in order; a refusal resets this
    });
  }

  /** A holder could not replay: it gets the full state after the next step. */
  void refused(ShadowRefused m) {
    if (active() && m.epoch() == epoch) {
      s.log.warn("rank {}: shadow holder {} refused step {} ({}); its full state goes next", s.id(), m.holder(),
          m.step(), m.reason());
      holderHas.remove(m.holder());
    }
  }

  // ---- as holder -----------------------------------------------------------------------------

  void store(ShadowState m) {
    if (active() && m.epoch() == epoch) {
      pool.put(m.ofRank(), m.step(), m.blocks());
      maybeReport(m.step());
    }
  }

  void stash(ShadowGrads m) {
    if (active() && m.epoch() == epoch) {
      gradients.put(m.ofRank(), m.step(), m.grads());
    }
  }

  void replay(ShadowApply a) {
    if (!active() || a.epoch() != epoch) {
      return;
    }
    AdamW.StepScalars scalars = new AdamW.StepScalars(a.lr(), a.gradScale(), a.correction1(), a.correction2());
    SnapshotReplay.Outcome done = SnapshotReplay.replayStep(pool, a.ofRank(), a.step(),
        gradients.take(a.ofRank(), a.step()), a.checksums(), s, scalars);
    if (done.problem() != null) {
      a.owner().tell(new ShadowRefused(epoch, a.step(), s.id(), done.problem()));
      return;
    }
    maybeReport(a.step());
  }

  /** Reports {@code step} once every shadowed block is held at it. */
  private void maybeReport(long step) {
    if (step <= reported || incoming.isEmpty()) {
      return;
    }
    for (Shadow x : incoming) {
      if (pool.base(x.owner(), step, x.layer(), x.block()) == null) {
        return;
      }
    }
    reported = step;
    scheduler.tell(new SchedulerMessage.ShadowHeld(epoch, s.id(), step));
  }

  /** The switch: {@code owner}'s block after {@code step} from this rank's own shadow, checksum-verified. */
  Optional<StateBlock> take(RankId owner, long step, int layer, int block) {
    return Optional.ofNullable(pool.get(owner, step, layer, block));
  }
}
