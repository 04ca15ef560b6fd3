package io.elaswave.app.observe;

import java.util.List;

/**
 * A cluster member as the driver sees it: its node name where known (else its host:port), its
 * Artery address, its membership status ({@code Up}, {@code Leaving}, …, or {@code Unreachable}
 * when the failure detector has lost it) and its roles.
 */
public record ClusterMember(String node, String address, String status, List<String> roles) {
  public ClusterMember {
    roles = List.copyOf(roles);
  }
}
