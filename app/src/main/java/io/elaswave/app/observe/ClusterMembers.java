package io.elaswave.app.observe;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.typed.Cluster;

/** The cluster's members as one actor system sees them, named by the node started at each address. */
public final class ClusterMembers {
  private ClusterMembers() {}

  /**
   * Every member of {@code system}'s cluster state, unreachable ones so marked; {@code names}
   * maps {@code host:port} to the node's name (a node without one is named by its address, which
   * is also {@code elaswave node}'s default name).
   */
  public static List<ClusterMember> of(ActorSystem<?> system, Map<String, String> names) {
    var state = Cluster.get(system).state();
    Set<Member> unreachable = state.getUnreachable();
    List<ClusterMember> out = new ArrayList<>();
    for (Member m : StreamSupport.stream(state.getMembers().spliterator(), false).toList()) {
      Address a = m.address();
      String hostPort = a.host().getOrElse(() -> "?") + ":" + a.port().getOrElse(() -> 0);
      String status = unreachable.contains(m) ? "Unreachable" : m.status().toString();
      String name = names.getOrDefault(hostPort, m.hasRole("driver") ? "driver" : hostPort);
      out.add(new ClusterMember(name, a.toString(), status,
          m.getRoles().stream().filter(r -> !r.startsWith("dc-")).sorted().toList()));
    }
    out.sort(java.util.Comparator.comparing(ClusterMember::node));
    return out;
  }
}
