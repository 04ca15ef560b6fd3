package io.elaswave.actors.scheduler;

import io.elaswave.actors.lifeline.DeathCheck;
import io.elaswave.planner.NodeId;
import io.elaswave.planner.RankId;
import io.elaswave.planner.RankInfo;
import io.elaswave.protocol.runtime.DriverMessage;
import io.elaswave.protocol.runtime.SchedulerMessage;
import io.elaswave.protocol.runtime.SchedulerMessage.DeathChecked;
import io.elaswave.protocol.runtime.SchedulerMessage.MemberChanged;
import io.elaswave.protocol.runtime.SchedulerMessage.NodeAvailable;
import io.elaswave.protocol.runtime.SchedulerMessage.RankFailed;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * Who is alive. Four ways to lose a node, fastest first: a node whose lifeline ends (its kernel
 * closed a dead process's socket) is checked for death at once, and lost on proof
 * ({@code node-dead}, milliseconds after the kill); a node of the job silent for
 * suspect-after is checked for death off the actor's thread (process gone, port refusing) —
 * proof, acted on at once ({@code node-dead}); a member the cluster downs or removes is lost at
 * once ({@code node-downed}); a member the cluster finds unreachable that also stays silent
 * for down-unreachable-after is downed here and lost ({@code unreachable}: a frozen host, a cut
 * link). A node whose heartbeats arrive is never lost, however slow; a side of a partition
 * without a majority of the workers never acts. A rank whose actor failed is lost at once.
 */
final class Liveness {
  /** How long a process whose lifeline ended may take to finish dying before it counts as alive. */
  private static final java.time.Duration LIFELINE_PATIENCE = java.time.Duration.ofMillis(500);
  private final Scheduling s;
  private final Membership membership;
  private final Set<NodeId> checking = new HashSet<>();
  private final Set<NodeId> slowButAlive = new HashSet<>(); // warned once per silence
  private final Set<NodeId> unreachable = new HashSet<>(); // as the cluster sees it
  private final Map<NodeId, List<ActorRef<DriverMessage>>> awaiting = new TreeMap<>();
  private final Map<NodeId, Long> lifelineEnded = new TreeMap<>(); // wall clock, while its check runs
  private final Lifelines lifelines;
  private final Admission admission;

  Liveness(Scheduling s) {
    this.s = s;
    this.membership = new Membership(s.context);
    this.admission = new Admission(membership, s.context.getLog());
    this.lifelines = new Lifelines(s.self(), membership.selfAddress());
  }

  /**
   * This side of any partition may act: more than half of the workers are reachable as the
   * cluster sees it, and more than half of the nodes still beat to this scheduler. Both, because
   * the failure detector marks the far side unreachable one member at a time: a scheduler cut
   * off from everyone would otherwise see a lone unreachable node first and down it.
   */
  boolean inMajority() {
    long now = System.nanoTime();
    int known = s.nodes.count();
    int silent = s.nodes.silent(now, s.settings.suspectAfter().toNanos()).size();
    boolean heard = 2 * (known - silent) > known;
    return heard && (unreachable.isEmpty() || membership.inMajority());
  }

  /** Every worker member that is up and reachable has beaten to this scheduler. */
  boolean everyLiveWorkerHeard() {
    Set<String> heard = new HashSet<>();
    s.nodes.addresses().forEach(heard::add);
    return heard.containsAll(membership.liveWorkers());
  }

  /** The cluster currently finds this node unreachable. */
  boolean unreachable(NodeId node) {
    return unreachable.contains(node);
  }

  void onNodeAvailable(NodeAvailable m) {
    if (!admission.admits(m)) {
      return;
    }
    slowButAlive.remove(m.node());
    lifelines.heard(m);
    if (!s.nodes.heard(m, System.nanoTime(), System.currentTimeMillis())) {
      return;
    }
    s.context.getLog().info("node {} ({}, pid {}) offers room for {} ranks", m.node().name(), m.address(), m.pid(),
        m.capacity());
    List<ActorRef<DriverMessage>> waiters = awaiting.remove(m.node());
    if (waiters != null) {
      waiters.forEach(r -> r.tell(new DriverMessage.NodeKnown(m.node())));
    }
    s.starter.tryStart();
    s.takeOver.maybeReady();
    Job job = s.job;
    if (s.running() && job.layout.allRanks().stream().noneMatch(r -> r.node().equals(m.node()))) {
      job.joinable.add(m.node()); // taken at the next step boundary
      s.replanner.maybeStartJoin();
    }
  }

  void onAwaitNode(SchedulerMessage.AwaitNode m) {
    if (s.nodes.get(m.node()) != null) {
      m.replyTo().tell(new DriverMessage.NodeKnown(m.node()));
    } else {
      awaiting.computeIfAbsent(m.node(), n -> new ArrayList<>()).add(m.replyTo());
    }
  }

  void onTick() {
    if (s.job == null) {
      return;
    }
    Set<NodeId> used = usedNodes();
    long now = System.nanoTime();
    for (NodeId node : s.nodes.silent(now, s.settings.suspectAfter().toNanos())) {
      if (used.contains(node) && checking.add(node)) {
        check(node, s.nodes.get(node), java.time.Duration.ZERO); // silent: one look is enough
      }
    }
    if (unreachable.isEmpty() || !inMajority()) {
      return;
    }
    for (NodeId node : s.nodes.silent(now, s.settings.downUnreachableAfter().toNanos())) {
      if (used.contains(node) && unreachable.contains(node)) {
        NodeAvailable last = s.nodes.get(node);
        s.context.getLog().warn("node {} is unreachable and silent for {} ms: downing it", node.name(),
            System.currentTimeMillis() - s.nodes.lastSeenMillis(node));
        membership.down(last.address());
        gone(node, "unreachable", s.nodes.lastSeenMillis(node));
      }
    }
  }

  /** A node's lifeline ended: the first sign of a death, confirmed off the actor's thread before anything is done. */
  void onLifelineClosed(SchedulerMessage.LifelineClosed m) {
    lifelines.ended(m.node());
    NodeAvailable last = s.nodes.get(m.node());
    if (last == null || !checking.add(m.node())) {
      return; // lost already, or a check is under way
    }
    lifelineEnded.put(m.node(), m.atMillis());
    check(m.node(), last, LIFELINE_PATIENCE);
  }

  /** Looks for proof of {@code node}'s death off the actor's thread, for up to {@code patience}; answers DeathChecked. */
  private void check(NodeId node, NodeAvailable last, java.time.Duration patience) {
    ActorRef<SchedulerMessage> self = s.self();
    CompletableFuture.supplyAsync(() -> DeathCheck.awaitEvidence(last.pid(), last.address(), patience))
        .whenComplete((evidence, error) -> self.tell(new DeathChecked(node, evidence != null,
            evidence != null ? evidence : error != null ? error.toString() : "alive")));
  }

  void onDeathChecked(DeathChecked m) {
    checking.remove(m.node());
    Long ended = lifelineEnded.remove(m.node());
    if (s.nodes.get(m.node()) == null) {
      return; // lost meanwhile by another path
    }
    if (!m.dead()) {
      if (ended != null) {
        s.context.getLog().info("node {}'s lifeline ended but the node is not proven dead ({})", m.node().name(),
            m.evidence());
      } else if (slowButAlive.add(m.node())) {
        s.context.getLog().warn("node {} is silent but not dead ({}): slow or cut off, not lost yet", m.node().name(),
            m.evidence());
      }
      return;
    }
    s.context.getLog().warn("node {} is dead{}: {}", m.node().name(), ended != null ? " (its lifeline ended "
        + (System.currentTimeMillis() - ended) + " ms ago)" : "", m.evidence());
    String address = s.nodes.get(m.node()).address();
    gone(m.node(), "node-dead", ended != null ? ended : s.nodes.lastSeenMillis(m.node()));
    membership.removeDeadLater(address, m.evidence()); // the re-plan first: a quarantine takes tens of ms
  }

  /** Closes every lifeline: this scheduler stops. */
  void stop() {
    lifelines.closeAll();
  }

  void onMemberChanged(MemberChanged m) {
    if (m.change() != SchedulerMessage.MemberChange.REACHABLE && m.change() != SchedulerMessage.MemberChange.UNREACHABLE
        && membership.isSelf(m.address())) {
      // this scheduler's own node was downed: a successor runs the job now; act on nothing more
      s.context.getLog().warn("this scheduler's node was {}: it stops acting on the job", m.change());
      s.job = null;
      return;
    }
    NodeId node = s.nodes.byAddress(m.address());
    if (node == null) {
      return; // the driver, a node never heard from, or one already lost
    }
    switch (m.change()) {
      case UNREACHABLE -> unreachable.add(node);
      case REACHABLE -> unreachable.remove(node);
      case DOWNED, REMOVED -> {
        s.context.getLog().warn("node {} was {} by the cluster", node.name(),
            m.change() == SchedulerMessage.MemberChange.DOWNED ? "downed" : "removed");
        gone(node, "node-downed", s.nodes.lastSeenMillis(node));
      }
    }
  }

  /**
   * The node is lost: forget it and re-plan without its ranks (or fail a job still starting).
   * {@code faultAt}: the best estimate of when it failed — its lifeline's end, else the
   * scheduler's last sight of it alive.
   */
  private void gone(NodeId node, String cause, long faultAt) {
    s.nodes.remove(node);
    lifelines.ended(node);
    unreachable.remove(node);
    slowButAlive.remove(node);
    Job job = s.job;
    if (job == null || !usedNodes().contains(node)) {
      return;
    }
    if (!job.phase.running()) {
      s.fail("node " + node.name() + " was lost while the job was starting (" + cause + ")");
    } else if (job.phase instanceof JobPhase.Joining j && j.node().equals(node)) {
      job.phase = new JobPhase.Idle();
      s.serveWaitingCollects();
      s.steps.beginIfIdle();
    } else if (!(job.phase instanceof JobPhase.TakingOver)) { // a take-over counts the live ranks itself
      Set<RankId> lost = new HashSet<>();
      // the node's ranks in the installed layout, and in a change under way: a joiner lost while
      // its join is being carried out has ranks only in the next layout, which waits for them
      java.util.stream.Stream.concat(job.layout.allRanks().stream(),
              pendingLayout(job.phase).map(l -> l.allRanks().stream()).orElseGet(java.util.stream.Stream::empty))
          .filter(r -> r.node().equals(node)).map(RankInfo::rank).filter(job.ranks::containsKey).forEach(lost::add);
      if (!lost.isEmpty()) {
        s.replanner.lose(lost, List.of(node), cause, faultAt);
      }
    }
  }

  /** A rank actor failed on a live node: lost now; its node keeps running the others. */
  void onRankFailed(RankFailed m) {
    Job job = s.job;
    if (job == null || !job.ranks.containsKey(m.rank())) {
      return; // already written off (or not this job's)
    }
    s.context.getLog().warn("rank {} on {} failed: {}", m.rank(), m.node().name(), m.reason());
    if (!job.phase.running() || job.phase instanceof JobPhase.TakingOver) {
      s.fail("rank " + m.rank() + " failed before the job was running: " + m.reason());
      return;
    }
    s.replanner.lose(Set.of(m.rank()), List.of(), "rank-error", System.currentTimeMillis());
  }

  /** The job's nodes, and a node spawning ranks to join it. */
  private Set<NodeId> usedNodes() {
    Set<NodeId> used = new HashSet<>();
    s.job.layout.allRanks().forEach(r -> used.add(r.node()));
    if (s.job.phase instanceof JobPhase.Joining j) {
      used.add(j.node()); // a joiner that dies before its ranks exist must not stall the job
    }
    pendingLayout(s.job.phase).ifPresent(l -> l.allRanks().forEach(r -> used.add(r.node()))); // nor one mid-join
    return used;
  }

  /** The layout a change under way moves to (not yet the job's installed one). */
  private static java.util.Optional<io.elaswave.planner.Layout> pendingLayout(JobPhase phase) {
    if (phase instanceof JobPhase.Changing c) {
      return java.util.Optional.of(c.change().next());
    }
    if (phase instanceof JobPhase.Installing i) {
      return java.util.Optional.of(i.change().next());
    }
    return java.util.Optional.empty();
  }
}
