package io.elaswave.actors.scheduler;

import io.elaswave.engine.param.ParamBlocks;
import io.elaswave.planner.BlockId;
import io.elaswave.planner.Layout;
import io.elaswave.planner.ModelProfile;
import io.elaswave.planner.NodeId;
import io.elaswave.planner.RankId;
import io.elaswave.planner.measure.CostTracker;
import io.elaswave.planner.recovery.Measurements;
import io.elaswave.planner.recovery.RecoveryPolicy;
import io.elaswave.planner.recovery.SpeedWatch;
import io.elaswave.protocol.runtime.BlockDigest;
import io.elaswave.protocol.runtime.DriverMessage;
import io.elaswave.protocol.runtime.JobSpec;
import io.elaswave.protocol.runtime.RankRefs;
import io.elaswave.protocol.runtime.Recovery;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The one job a scheduler runs: what it is, its committed layout and step, its ranks, and its
 * phase. The committed layout changes only when every rank has taken the next one.
 */
final class Job {
  /** The driver's request for a step; after a take-over the scheduler may run it before anyone asks. */
  record StepRequest(long step, Optional<ActorRef<DriverMessage>> replyTo) {}

  final JobSpec spec;
  final Optional<ActorRef<DriverMessage>> starter; // empty for a job taken over from the ledger
  final ParamBlocks blocks;
  final ModelProfile profile; // the FLOP estimate: costs of layers nobody measured yet
  final long[] activationEstimate;
  final CostTracker costs = new CostTracker();
  final SpeedWatch speedWatch = new SpeedWatch();
  final ReadyPlans readyPlans = new ReadyPlans();
  final RecoveryPolicy policy;
  final long tokensPerMicroBatch;
  final Map<RankId, RankRefs> ranks = new LinkedHashMap<>();
  final List<Recovery> recoveries = new ArrayList<>(); // reported with the next commit
  final Set<NodeId> joinable = new TreeSet<>(); // nodes heard from that hold no rank yet
  final StepTimes stepTimes = new StepTimes();
  final List<Replanner.DeferredLoss> deferredLosses = new ArrayList<>(); // seen while a commit was written
  final List<io.elaswave.protocol.runtime.SchedulerMessage.CollectState> waitingCollects = new ArrayList<>();
  JobPhase phase;
  Layout layout; // the committed layout: every rank installed it
  long adoptedEpoch; // the newest epoch the ledger holds a plan for; the next plan takes the one after
  long committed;
  Map<BlockId, Long> committedDigests = Map.of();
  Optional<DriverMessage.StepCommitted> lastCommit = Optional.empty();
  Optional<StepRequest> request = Optional.empty();
  Optional<BackgroundMigration.Running> migration = Optional.empty();
  int nextRankId;

  Job(JobSpec spec, RecoveryPolicy policy, Optional<ActorRef<DriverMessage>> starter, ParamBlocks blocks, ModelProfile profile,
      long[] activationEstimate, long tokensPerMicroBatch, Layout layout, JobPhase phase) {
    this.spec = spec;
    this.starter = starter;
    this.blocks = blocks;
    this.profile = profile;
    this.activationEstimate = activationEstimate.clone();
    this.policy = policy;
    this.tokensPerMicroBatch = tokensPerMicroBatch;
    this.layout = layout;
    this.phase = phase;
    this.adoptedEpoch = layout.epoch();
    this.nextRankId = layout.allRanks().stream().mapToInt(r -> r.rank().value()).max().orElse(-1) + 1;
  }

  /** Tokens in a step of the committed layout: the whole global batch unless a policy dropped ids. */
  long tokensPerStep() {
    return layout.batchMicroBatches() * tokensPerMicroBatch;
  }

  /** Measured costs and speeds where ranks have reported them, the estimate elsewhere, under the job's cap. */
  Measurements measurements() {
    return costs.measurements(profile, activationEstimate, spec.rankMemory());
  }

  List<BlockDigest> committedDigestList() {
    List<BlockDigest> out = new ArrayList<>();
    committedDigests.forEach((id, d) -> out.add(new BlockDigest(id.layer(), id.block(), d)));
    return out;
  }

  /** The step the driver is waiting for (or the scheduler will run next), if any. */
  long requestedStep() {
    return request.map(StepRequest::step).orElse(-1L);
  }

  void answer(DriverMessage reply) {
    request.flatMap(StepRequest::replyTo).ifPresent(r -> r.tell(reply));
  }
}
