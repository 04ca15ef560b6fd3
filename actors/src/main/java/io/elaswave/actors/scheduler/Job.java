package io.elaswave.actors.scheduler;

import io.elaswave.engine.param.ParamBlocks;
import io.elaswave.planner.BlockId;
import io.elaswave.planner.Layout;
import io.elaswave.planner.ModelProfile;
import io.elaswave.planner.NodeId;
import io.elaswave.planner.RankId;
import io.elaswave.protocol.runtime.BlockDigest;
import io.elaswave.protocol.runtime.DriverMessage;
import io.elaswave.protocol.runtime.JobSpec;
import io.elaswave.protocol.runtime.RankRefs;
import io.elaswave.protocol.runtime.Recovery;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;

/** The state of the one job a scheduler runs: its layout, ranks, commits and any change under way. */
final class Job {
  final JobSpec spec;
  final ActorRef<DriverMessage> starter;
  final ParamBlocks blocks;
  final ModelProfile profile;
  final long tokensPerStep;
  final Map<RankId, RankRefs> ranks = new LinkedHashMap<>();
  final Set<NodeId> pendingNodes = new HashSet<>();
  final List<Recovery> recoveries = new ArrayList<>();
  Layout layout;
  int pendingLoads;
  final Set<RankId> pendingAdopts = new HashSet<>();
  boolean running;
  long committed;
  Map<BlockId, Long> committedDigests = Map.of();
  DriverMessage.StepCommitted lastCommit;
  StepTransaction tx;
  ActorRef<DriverMessage> stepReplyTo;
  long waitingStep = -1; // a step the driver asked for that a re-planning abandoned
  Change change;
  final Set<NodeId> joinable = new java.util.TreeSet<>(); // nodes heard from that hold no rank yet
  NodeId joining; // a node whose ranks are being spawned for a scale-up
  int nextRankId;
  long takingOver; // when this scheduler took the job over from a lost one (0: it started it)

  /** A re-planning under way: the next layout and the ranks that have not taken it yet. */
  record Change(String kind, Layout next, Set<RankId> awaiting, List<NodeId> nodes, List<RankId> lost,
      long abandonedStep, long detectedAtMillis) {}

  Job(JobSpec spec, ActorRef<DriverMessage> starter, ParamBlocks blocks, ModelProfile profile, long tokensPerStep,
      Layout layout) {
    this.spec = spec;
    this.starter = starter;
    this.blocks = blocks;
    this.profile = profile;
    this.tokensPerStep = tokensPerStep;
    this.layout = layout;
  }

  List<BlockDigest> committedDigestList() {
    List<BlockDigest> out = new ArrayList<>();
    committedDigests.forEach((id, d) -> out.add(new BlockDigest(id.layer(), id.block(), d)));
    return out;
  }
}
