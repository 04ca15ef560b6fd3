package io.elaswave.actors.scheduler;

import io.elaswave.actors.lifeline.LifelineHello;
import io.elaswave.actors.lifeline.LifelineLink;
import io.elaswave.planner.NodeId;
import io.elaswave.protocol.runtime.SchedulerMessage;
import io.elaswave.protocol.runtime.SchedulerMessage.NodeAvailable;
import java.util.Map;
import java.util.TreeMap;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The scheduler's lifelines: one plain TCP connection to every node that offers one (its port
 * rides on the heartbeat). Its end arrives as {@link SchedulerMessage.LifelineClosed} within
 * milliseconds of the node's death — the kernel closes a dead process's sockets — and the
 * far side learns the same of this scheduler's node. Dialled again when a heartbeat finds a
 * link missing or failed; actor-thread only.
 */
final class Lifelines {
  private record Link(int port, LifelineLink link) {}

  private final ActorRef<SchedulerMessage> self;
  private final LifelineHello hello;
  private final String selfAddress;
  private final Map<NodeId, Link> links = new TreeMap<>();

  Lifelines(ActorRef<SchedulerMessage> self, String selfAddress) {
    this.self = self;
    this.selfAddress = selfAddress;
    this.hello = new LifelineHello(ProcessHandle.current().pid(), selfAddress);
  }

  /** Keeps a lifeline to the node of this heartbeat (none to this scheduler's own node). */
  void heard(NodeAvailable beat) {
    if (beat.lifeline() <= 0 || beat.address().equals(selfAddress)) {
      return;
    }
    Link link = links.get(beat.node());
    if (link != null && link.port() == beat.lifeline() && !link.link().failed()) {
      return;
    }
    if (link != null) {
      link.link().close();
    }
    String host = beat.address().substring(0, beat.address().lastIndexOf(':'));
    NodeId node = beat.node();
    links.put(node, new Link(beat.lifeline(), LifelineLink.dial(host, beat.lifeline(), hello,
        () -> self.tell(new SchedulerMessage.LifelineClosed(node, System.currentTimeMillis())))));
  }

  /** The node's lifeline ended: forget it, so the next heartbeat (if any) dials again. */
  void ended(NodeId node) {
    Link link = links.remove(node);
    if (link != null) {
      link.link().close();
    }
  }

  void closeAll() {
    links.values().forEach(l -> l.link().close());
    links.clear();
  }
}
