package io.elaswave.actors.scheduler;

import io.elaswave.planner.NodeId;
import io.elaswave.planner.RankId;
import io.elaswave.planner.RankInfo;
import io.elaswave.protocol.runtime.DriverMessage;
import io.elaswave.protocol.runtime.SchedulerMessage.DeathChecked;
import io.elaswave.protocol.runtime.SchedulerMessage.NodeAvailable;
import io.elaswave.protocol.runtime.SchedulerMessage.RankFailed;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Down;

/**
 * Who is alive. Heartbeats register nodes (and offer a new one for a join); a node of the job
 * silent for suspect-after is checked for death off the actor's thread (process gone, port
 * refusing) and a confirmed death downs it and re-plans without its ranks; a slow node is never
 * declared dead. A rank whose actor failed, reported by its node's guardian, is lost at once.
 */
final class Liveness {
  private final Scheduling s;
  private final Set<NodeId> checking = new HashSet<>();
  private final Set<NodeId> slowButAlive = new HashSet<>(); // warned once per silence
  private final Map<NodeId, List<ActorRef<DriverMessage>>> awaiting = new TreeMap<>();

  Liveness(Scheduling s) {
    this.s = s;
  }

  void onNodeAvailable(NodeAvailable m) {
    slowButAlive.remove(m.node());
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
    Job job = s.job;
    if (s.running() && job.layout.ranks().stream().noneMatch(r -> r.node().equals(m.node()))) {
      job.joinable.add(m.node()); // taken at the next step boundary
      s.replanner.maybeStartJoin();
    }
  }

  void onAwaitNode(io.elaswave.protocol.runtime.SchedulerMessage.AwaitNode m) {
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
    Set<NodeId> used = new HashSet<>();
    s.job.layout.ranks().forEach(r -> used.add(r.node()));
    if (s.job.phase instanceof JobPhase.Joining j) {
      used.add(j.node()); // a joiner that dies before its ranks exist must not stall the job
    }
    for (NodeId node : s.nodes.silent(System.nanoTime(), s.settings.suspectAfter().toNanos())) {
      if (used.contains(node) && checking.add(node)) {
        NodeAvailable last = s.nodes.get(node);
        ActorRef<io.elaswave.protocol.runtime.SchedulerMessage> self = s.self();
        CompletableFuture.supplyAsync(() -> DeathCheck.evidence(last.pid(), last.address()))
            .whenComplete((evidence, error) -> self.tell(new DeathChecked(node, evidence != null,
                evidence != null ? evidence : error != null ? error.toString() : "alive")));
      }
    }
  }

  void onDeathChecked(DeathChecked m) {
    checking.remove(m.node());
    if (!m.dead()) {
      if (slowButAlive.add(m.node())) {
        s.context.getLog().warn("node {} is silent but not dead ({}): slow, not lost; waiting", m.node().name(),
            m.evidence());
      }
      return;
    }
    NodeAvailable last = s.nodes.get(m.node());
    long lastHeard = s.nodes.lastSeenMillis(m.node());
    s.nodes.remove(m.node());
    s.context.getLog().warn("node {} is dead: {}", m.node().name(), m.evidence());
    down(last.address());
    if (s.job != null && !s.job.phase.running()
        && s.job.layout.ranks().stream().anyMatch(r -> r.node().equals(m.node()))) {
      s.fail("node " + m.node().name() + " died while the job was starting: " + m.evidence());
      return;
    }
    if (s.running() && s.job.phase instanceof JobPhase.Joining j && j.node().equals(m.node())) {
      s.job.phase = new JobPhase.Idle();
      s.steps.beginIfIdle();
      return;
    }
    if (s.running() && !(s.job.phase instanceof JobPhase.TakingOver)) {
      Set<RankId> lost = new HashSet<>();
      s.job.layout.ranks().stream().filter(r -> r.node().equals(m.node())).map(RankInfo::rank).forEach(lost::add);
      if (!lost.isEmpty()) { // its last heartbeat is the scheduler's first sight of the death
        s.replanner.lose(lost, List.of(m.node()), "node-dead", lastHeard);
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

  private void down(String address) {
    int colon = address.lastIndexOf(':');
    Address a = new Address("pekko", s.context.getSystem().name(), address.substring(0, colon),
        Integer.parseInt(address.substring(colon + 1)));
    Cluster.get(s.context.getSystem()).manager().tell(new Down(a));
  }
}
