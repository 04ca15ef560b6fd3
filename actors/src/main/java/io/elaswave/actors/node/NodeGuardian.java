package io.elaswave.actors.node;

import io.elaswave.actors.lifeline.LifelineServer;
import io.elaswave.actors.rank.DataInbox;
import io.elaswave.actors.rank.Rank;
import io.elaswave.actors.scheduler.SchedulerSingleton;
import io.elaswave.planner.NodeId;
import io.elaswave.planner.RankId;
import io.elaswave.protocol.runtime.NodeMessage;
import io.elaswave.protocol.runtime.RankMessage;
import io.elaswave.protocol.runtime.RankRefs;
import io.elaswave.protocol.runtime.SchedulerMessage;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.ChildFailed;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * The root actor of a worker node: offers capacity, spawns and stops ranks, and supervises them:
 * a rank whose actor fails (an exception) is reported to the scheduler at once as RankFailed,
 * so the job re-plans around it instead of waiting for a step that can never finish.
 */
public final class NodeGuardian extends AbstractBehavior<NodeMessage> {
  /** The node's name, how many ranks it may host, its tensor message limit, and the governor of its clock. */
  public record Settings(NodeId node, int capacity, int maxFloatsPerMessage, FrequencyGovernor governor) {
    /** A node without a governor. */
    public Settings(NodeId node, int capacity, int maxFloatsPerMessage) {
      this(node, capacity, maxFloatsPerMessage, FixedClock.INSTANCE);
    }
  }

  private static final DispatcherSelector RANK_DISPATCHER = DispatcherSelector.fromConfig("elaswave.rank-dispatcher");

  private static final java.time.Duration BEAT = java.time.Duration.ofMillis(100);

  private final Settings settings;
  private final ActorRef<SchedulerMessage> scheduler;
  private final String address;
  private final List<ActorRef<?>> running = new ArrayList<>();
  private final java.util.Map<ActorRef<?>, RankRefs> watched = new java.util.HashMap<>();
  private List<RankRefs> ranks = List.of();
  private int generation; // names of a new job's actors never collide with stopping ones
  private volatile double clock = 1; // read by this node's ranks for their compute reports
  private final LifelineServer lifeline; // null: none could be opened (the scheduler then relies on silence)

  private NodeGuardian(ActorContext<NodeMessage> context, Settings settings, TimerScheduler<NodeMessage> timers) {
    super(context);
    this.settings = settings;
    this.scheduler = SchedulerSingleton.init(context.getSystem());
    var self = Cluster.get(context.getSystem()).selfMember().address();
    this.address = self.host().get() + ":" + self.port().get();
    try {
      this.clock = settings.governor().clock();
    } catch (java.io.IOException e) {
      context.getLog().warn("node {}: cannot read its clock ({}); reporting 1", settings.node().name(), e.getMessage());
    }
    this.lifeline = openLifeline(context, self.host().get());
    beat();
    // the heartbeat is also the registration: a scheduler that moves to another node learns the
    // nodes again within one beat
    timers.startTimerWithFixedDelay(new NodeMessage.Beat(), BEAT);
  }

  /** The listener the scheduler dials; its end tells this node at once that the scheduler's node died. */
  private LifelineServer openLifeline(ActorContext<NodeMessage> context, String host) {
    try {
      return LifelineServer.open(host, new SchedulerWatch(context.getSystem(), address));
    } catch (java.io.IOException e) {
      context.getLog().warn("node {}: no lifeline ({}); its death will be found by silence", settings.node().name(),
          e.getMessage());
      return null;
    }
  }

  public static Behavior<NodeMessage> create(Settings settings) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new NodeGuardian(ctx, settings, timers)));
  }

  @Override public Receive<NodeMessage> createReceive() {
    return newReceiveBuilder()
        .onMessage(NodeMessage.SpawnRanks.class, this::onSpawn)
        .onMessage(NodeMessage.StopRanks.class, this::onStop)
        .onMessage(NodeMessage.StopRank.class, this::onStopRank)
        .onMessage(NodeMessage.SetClock.class, this::onSetClock)
        .onSignal(Terminated.class, this::onTerminated)
        .onSignal(PostStop.class, stop -> {
          if (lifeline != null) {
            lifeline.close();
          }
          return this;
        })
        .onMessage(NodeMessage.Beat.class, b -> {
          beat();
          return this;
        })
        .build();
  }

  private void beat() {
    scheduler.tell(new SchedulerMessage.NodeAvailable(settings.node(), settings.capacity(),
        ProcessHandle.current().pid(), address, ranks, getContext().getSelf(), clockInfo(),
        lifeline == null ? 0 : lifeline.port()));
  }

  private io.elaswave.protocol.runtime.ClockInfo clockInfo() {
    FrequencyGovernor g = settings.governor();
    return new io.elaswave.protocol.runtime.ClockInfo(g.kind(), g.range().min(), g.range().max(), clock);
  }

  /** Between steps (the scheduler sends it after a commit): the governor sets it, the ranks report under it. */
  private Behavior<NodeMessage> onSetClock(NodeMessage.SetClock m) {
    String error = "";
    try {
      clock = settings.governor().set(m.clock());
    } catch (java.io.IOException e) {
      error = e.getMessage();
      getContext().getLog().warn("node {}: cannot set its clock to {}: {}", settings.node().name(), m.clock(), error);
    }
    m.replyTo().tell(new SchedulerMessage.ClockSet(settings.node(), m.epoch(), clock, error));
    return this;
  }

  private Behavior<NodeMessage> onSpawn(NodeMessage.SpawnRanks m) {
    stopAll();
    List<RankRefs> spawned = new ArrayList<>();
    generation++;
    for (RankId id : m.ranks()) {
      ActorRef<RankMessage> rank = getContext().spawn(
          Rank.create(new Rank.Settings(m.job(), id, settings.maxFloatsPerMessage(), () -> clock)), "rank-" + id.value() + "-" + generation,
          RANK_DISPATCHER);
      ActorRef<RankMessage.DataMessage> inbox = getContext().spawn(DataInbox.create(rank), "inbox-" + id.value() + "-" + generation);
      running.add(rank);
      running.add(inbox);
      RankRefs refs = new RankRefs(id, rank, inbox);
      getContext().watch(rank);
      watched.put(rank, refs);
      spawned.add(refs);
    }
    getContext().getLog().info("node {} started ranks {}", settings.node().name(), m.ranks());
    try {
      settings.governor().enterJob(); // a joiner booted on the whole machine: its ranks compute at its clock
    } catch (java.io.IOException e) {
      getContext().getLog().warn("node {}: cannot take its budget: {}", settings.node().name(), e.getMessage());
    }
    ranks = List.copyOf(spawned);
    published();
    m.replyTo().tell(new SchedulerMessage.RanksSpawned(settings.node(), spawned));
    return this;
  }

  private Behavior<NodeMessage> onStop(NodeMessage.StopRanks m) {
    stopAll();
    return this;
  }

  private Behavior<NodeMessage> onStopRank(NodeMessage.StopRank m) {
    ranks.stream().filter(r -> r.rank().equals(m.rank())).findFirst().ifPresent(this::forget);
    return this;
  }

  /** A watched rank stopped: after a failure the scheduler hears why; a stop it asked for says nothing. */
  private Behavior<NodeMessage> onTerminated(Terminated t) {
    RankRefs r = watched.remove(t.getRef());
    if (r != null && t instanceof ChildFailed failed) {
      getContext().getLog().warn("rank {} failed: {}", r.rank(), failed.getCause().toString());
      forget(r);
      scheduler.tell(new SchedulerMessage.RankFailed(settings.node(), r.rank(), failed.getCause().toString()));
    }
    return this;
  }

  /** Stops a rank and its inbox and takes it off the heartbeat's list. */
  private void forget(RankRefs r) {
    watched.remove(r.control());
    getContext().stop(r.control());
    getContext().stop(r.inbox());
    running.remove(r.control());
    running.remove(r.inbox());
    ranks = ranks.stream().filter(x -> !x.rank().equals(r.rank())).toList();
    published();
  }

  private void stopAll() {
    watched.clear();
    running.forEach(ref -> getContext().stop(ref));
    running.clear();
    ranks = List.of();
    published();
  }

  /** Readers outside the actors (the readiness probe) see the ranks this node hosts now. */
  private void published() {
    NodeHealth.get(getContext().getSystem()).hosting(ranks.stream().map(RankRefs::rank).toList());
  }
}
