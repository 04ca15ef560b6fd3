package io.elaswave.actors.node;

import io.elaswave.planner.RankId;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;

/**
 * What this JVM's node hosts right now, for readers outside the actors (a readiness probe): the
 * ranks its guardian has spawned and not yet stopped. Written only by the {@link NodeGuardian}.
 */
public final class NodeHealth implements Extension {
  private static final ExtensionId<NodeHealth> ID = new ExtensionId<>() {
    @Override public NodeHealth createExtension(ActorSystem<?> system) {
      return new NodeHealth();
    }
  };

  private final AtomicReference<List<RankId>> ranks = new AtomicReference<>(List.of());

  public static NodeHealth get(ActorSystem<?> system) {
    return system.registerExtension(ID);
  }

  /** The ranks this node hosts (empty before the scheduler places any, and after they stop). */
  public List<RankId> hostedRanks() {
    return ranks.get();
  }

  /** The guardian's list changed. */
  public void hosting(List<RankId> now) {
    ranks.set(List.copyOf(now));
  }
}
