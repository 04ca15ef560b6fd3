package io.elaswave.actors.rank;

import io.elaswave.actors.group.CommunicatorGroup;
import io.elaswave.actors.group.TrafficCounter;
import io.elaswave.planner.Layout;
import io.elaswave.planner.RankId;
import io.elaswave.protocol.runtime.GroupMessage;
import io.elaswave.protocol.runtime.RankMessage;
import io.elaswave.protocol.runtime.RankRefs;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;

/**
 * The rank's communicator groups, one child per layer it holds. A layout change edits a group in
 * place under the new epoch; groups of layers the rank no longer holds are stopped. Groups are
 * never rebuilt.
 */
final class LayerGroups {
  private final ActorContext<RankMessage> context;
  private final RankId self;
  private final TrafficCounter traffic;
  private final int maxFloatsPerMessage;
  private final Map<Integer, ActorRef<GroupMessage>> groups = new HashMap<>();
  private final Map<Integer, List<RankId>> told = new HashMap<>(); // each group's members, as last set

  LayerGroups(ActorContext<RankMessage> context, RankId self, TrafficCounter traffic, int maxFloatsPerMessage) {
    this.context = context;
    this.self = self;
    this.traffic = traffic;
    this.maxFloatsPerMessage = maxFloatsPerMessage;
  }

  void tell(int layer, GroupMessage m) {
    groups.get(layer).tell(m);
  }

  /** Stops the group of {@code layer} if there is one: the rank no longer holds it. */
  void stop(int layer) {
    ActorRef<GroupMessage> gone = groups.remove(layer);
    told.remove(layer);
    if (gone != null) {
      context.stop(gone);
    }
  }

  /**
   * Spawns the layer's group, or edits the existing one in place under the new epoch: members
   * that left the layer are removed, new holders added, owners replaced. "Left" is measured
   * against the members this rank last gave the group, not against the layout it held before:
   * after an uncommitted change is undone, the group still has that change's members, and a
   * layout equal to the one before it would otherwise remove none of them (a stale member then
   * got all-gathers for a layer it did not hold).
   */
  void adopt(int layer, Layout layout, Map<RankId, RankRefs> directory) {
    List<RankRefs> members = layout.holdersOfLayer(layer).stream().map(directory::get).toList();
    List<RankId> owners = layout.blockOwners().get(layer);
    List<RankId> now = members.stream().map(RankRefs::rank).toList();
    ActorRef<GroupMessage> group = groups.get(layer);
    long epoch = layout.epoch();
    List<RankId> before = told.put(layer, now);
    if (group == null) {
      var settings = new CommunicatorGroup.Settings(layer, self, traffic, maxFloatsPerMessage);
      groups.put(layer, context.spawn(CommunicatorGroup.create(settings, epoch, members, owners),
          "group-" + layer + "-e" + epoch));
      return;
    }
    for (RankId old : before) {
      if (!now.contains(old)) {
        group.tell(new GroupMessage.RemoveMember(epoch, old));
      }
    }
    members.forEach(r -> group.tell(new GroupMessage.AddMember(epoch, r)));
    group.tell(new GroupMessage.SetOwners(epoch, owners));
  }
}
