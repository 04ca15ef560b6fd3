package io.elaswave.actors.group;

import io.elaswave.planner.RankId;
import io.elaswave.protocol.runtime.BlockPartial;
import io.elaswave.protocol.runtime.BlockValues;
import io.elaswave.protocol.runtime.GroupMessage;
import io.elaswave.protocol.runtime.GroupMessage.AddMember;
import io.elaswave.protocol.runtime.GroupMessage.AllGather;
import io.elaswave.protocol.runtime.GroupMessage.GetView;
import io.elaswave.protocol.runtime.GroupMessage.ReduceScatter;
import io.elaswave.protocol.runtime.GroupMessage.RemoveMember;
import io.elaswave.protocol.runtime.GroupMessage.ReplaceMember;
import io.elaswave.protocol.runtime.GroupMessage.SetOwners;
import io.elaswave.protocol.runtime.RankMessage;
import io.elaswave.protocol.runtime.RankRefs;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * The data-parallel group of one layer, as seen from one member. The table (members in replica
 * order, the owner of each block) carries an epoch; edits under an older epoch are refused, and
 * collectives under another epoch are dropped and counted. Reduce-scatter sends each block's
 * partial sums to its owner; all-gather sends owned blocks to every other member.
 */
public final class CommunicatorGroup extends AbstractBehavior<GroupMessage> {
  /** Who the group is for and how big its tensor messages may be. */
  public record Settings(int layer, RankId self, TrafficCounter traffic, int maxFloatsPerMessage) {}

  private final Settings settings;
  private final List<RankRefs> members;
  private long epoch;
  private List<RankId> owners;

  private CommunicatorGroup(ActorContext<GroupMessage> context, Settings settings, long epoch,
      List<RankRefs> members, List<RankId> owners) {
    super(context);
    this.settings = settings;
    this.epoch = epoch;
    this.members = new ArrayList<>(members);
    this.owners = List.copyOf(owners);
  }

  public static Behavior<GroupMessage> create(Settings settings, long epoch, List<RankRefs> members,
      List<RankId> owners) {
    return Behaviors.setup(ctx -> new CommunicatorGroup(ctx, settings, epoch, members, owners));
  }

  @Override public Receive<GroupMessage> createReceive() {
    return newReceiveBuilder()
        .onMessage(AddMember.class, this::onAdd)
        .onMessage(RemoveMember.class, this::onRemove)
        .onMessage(ReplaceMember.class, this::onReplace)
        .onMessage(SetOwners.class, this::onSetOwners)
        .onMessage(GetView.class, this::onGetView)
        .onMessage(ReduceScatter.class, this::onReduceScatter)
        .onMessage(AllGather.class, this::onAllGather)
        .build();
  }

  private Behavior<GroupMessage> onAdd(AddMember m) {
    if (accept(m.epoch(), "add " + m.member().rank()) && indexOf(m.member().rank()) < 0) {
      members.add(m.member());
    }
    return this;
  }

  private Behavior<GroupMessage> onRemove(RemoveMember m) {
    if (accept(m.epoch(), "remove " + m.rank())) {
      members.removeIf(r -> r.rank().equals(m.rank()));
    }
    return this;
  }

  private Behavior<GroupMessage> onReplace(ReplaceMember m) {
    int at = indexOf(m.old());
    if (accept(m.epoch(), "replace " + m.old()) && at >= 0) {
      members.set(at, m.replacement());
    }
    return this;
  }

  private Behavior<GroupMessage> onSetOwners(SetOwners m) {
    if (accept(m.epoch(), "set owners")) {
      owners = List.copyOf(m.owners());
    }
    return this;
  }

  private Behavior<GroupMessage> onGetView(GetView m) {
    m.replyTo().tell(new GroupMessage.GroupView(epoch, settings.layer(), List.copyOf(members), owners));
    return this;
  }

  private Behavior<GroupMessage> onReduceScatter(ReduceScatter m) {
    if (m.epoch() != epoch) {
      settings.traffic().droppedStale();
      return this;
    }
    Map<RankId, List<BlockPartial>> byOwner = new LinkedHashMap<>();
    for (BlockPartial p : m.partials()) {
      byOwner.computeIfAbsent(owners.get(p.block()), o -> new ArrayList<>()).add(p);
    }
    byOwner.forEach((owner, partials) -> {
      RankRefs target = member(owner);
      for (List<BlockPartial> batch : TensorBatches.split(partials, p -> p.sum().length(),
          settings.maxFloatsPerMessage())) {
        if (!owner.equals(settings.self())) { // a rank's own blocks never leave its JVM
          settings.traffic().sent(batch.stream().mapToInt(p -> p.sum().length()).sum());
        }
        target.inbox().tell(new RankMessage.GradPartials(epoch, m.step(), batch));
      }
    });
    return this;
  }

  private Behavior<GroupMessage> onAllGather(AllGather m) {
    if (m.epoch() != epoch) {
      settings.traffic().droppedStale();
      return this;
    }
    List<List<BlockValues>> batches = TensorBatches.split(m.blocks(), b -> b.values().length(),
        settings.maxFloatsPerMessage());
    for (RankRefs peer : members) {
      if (!peer.rank().equals(settings.self())) {
        for (List<BlockValues> batch : batches) {
          settings.traffic().sent(batch.stream().mapToInt(b -> b.values().length()).sum());
          peer.inbox().tell(new RankMessage.BlockUpdates(epoch, m.step(), batch));
        }
      }
    }
    m.sentTo().tell(new RankMessage.GatherSent(epoch, m.step(), settings.layer()));
    return this;
  }

  /** Edits may carry the current epoch (several edits make one change) or a newer one. */
  private boolean accept(long editEpoch, String what) {
    if (editEpoch < epoch) {
      getContext().getLog().warn("layer {} group refuses stale edit '{}' of epoch {} (now {})", settings.layer(),
          what, editEpoch, epoch);
      return false;
    }
    epoch = editEpoch;
    return true;
  }

  private int indexOf(RankId rank) {
    for (int i = 0; i < members.size(); i++) {
      if (members.get(i).rank().equals(rank)) {
        return i;
      }
    }
    return -1;
  }

  private RankRefs member(RankId rank) {
    int at = indexOf(rank);
    if (at < 0) {
      throw new IllegalStateException("layer " + settings.layer() + " group has no member " + rank);
    }
    return members.get(at);
  }
}
