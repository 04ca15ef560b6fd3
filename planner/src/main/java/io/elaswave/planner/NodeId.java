package io.elaswave.planner;

/** A node: one JVM hosting one or more ranks. Ranks on one node fail together. */
public record NodeId(String name) implements Comparable<NodeId> {
  public NodeId {
    Require.that(name != null && !name.isBlank(), "node name must not be blank");
  }

  public static NodeId of(String name) {
    return new NodeId(name);
  }

  @Override public int compareTo(NodeId o) {
    return name.compareTo(o.name);
  }

  @Override public String toString() {
    return name;
  }
}
