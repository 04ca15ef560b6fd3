package io.elaswave.app.observe;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code elaswave status}'s table, from a driver's {@code /status} or a node's Pekko Management
 * {@code /cluster/members}: one line for the run, then a row per node (its membership status,
 * roles, ranks, clock and budget), then the last recovery.
 */
public final class StatusTable {
  private StatusTable() {}

  /** From a driver's {@code /status} ({@link RunStatus} as JSON). */
  public static String ofRun(JsonNode s) {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "run %s  step %d/%d  loss %s  %,.0f tok/s  %.0f ms/step%n",
        s.path("state").asText(), s.path("step").asLong(), s.path("lastStep").asLong(), loss(s.path("loss")),
        s.path("tokensPerSecond").asDouble(), s.path("stepMillis").asDouble()));
    out.append(String.format(Locale.ROOT, "layout %s  epoch %d%n",
        s.path("layout").asText().isEmpty() ? "-" : s.path("layout").asText(), s.path("epoch").asLong()));
    Map<String, JsonNode> working = new LinkedHashMap<>();
    s.path("nodes").forEach(n -> working.put(n.path("node").asText(), n));
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"NODE", "STATUS", "ROLES", "RANKS", "CLOCK", "CPUS"});
    for (JsonNode m : s.path("members")) {
      JsonNode w = working.remove(m.path("node").asText());
      rows.add(row(m.path("node").asText(), m.path("status").asText(), roles(m), w));
    }
    working.forEach((node, w) -> rows.add(row(node, "-", "-", w))); // working, yet not a member any more
    table(out, rows);
    JsonNode r = s.path("lastRecovery");
    if (r.isObject()) {
      out.append(String.format(Locale.ROOT, "last recovery: %s%s at step %d%s (%d so far)%n",
          r.path("event").asText().equals("recovered") ? r.path("cause").asText() : r.path("event").asText(),
          r.has("nodes") ? " " + r.path("nodes").asText() : "", r.path("step").asLong(), times(r),
          s.path("recoveries").asInt()));
    } else {
      out.append("last recovery: none\n");
    }
    return out.toString();
  }

  /** From Pekko Management's {@code /cluster/members} of a node. */
  public static String ofMembers(JsonNode c) {
    StringBuilder out = new StringBuilder();
    out.append("cluster seen by ").append(c.path("selfNode").asText()).append('\n');
    java.util.Set<String> unreachable = new java.util.HashSet<>();
    c.path("unreachable").forEach(u -> unreachable.add(u.path("node").asText()));
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"MEMBER", "STATUS", "ROLES", "NOTE"});
    for (JsonNode m : c.path("members")) {
      String node = m.path("node").asText();
      List<String> notes = new ArrayList<>();
      if (node.equals(c.path("leader").asText())) {
        notes.add("leader");
      }
      if (node.equals(c.path("oldest").asText())) {
        notes.add("oldest");
      }
      rows.add(new String[] {node, unreachable.contains(node) ? "Unreachable" : m.path("status").asText(), roles(m),
          String.join(",", notes)});
    }
    table(out, rows);
    out.append("layout, step and recoveries: ask the driver (elaswave status --http HOST:PORT)\n");
    return out.toString();
  }

  private static String[] row(String node, String status, String roles, JsonNode working) {
    if (working == null) {
      return new String[] {node, status, roles, "-", "-", "-"};
    }
    List<String> ranks = new ArrayList<>();
    working.path("ranks").forEach(r -> ranks.add(String.format(Locale.ROOT, "r%d(d%d,s%d)", r.path("rank").asInt(),
        r.path("replica").asInt(), r.path("stage").asInt())));
    double cpus = working.path("cpus").asDouble();
    return new String[] {node, status, roles, String.join(" ", ranks),
        String.format(Locale.ROOT, "%.2f", working.path("clock").asDouble()),
        cpus > 0 ? String.format(Locale.ROOT, "%.2f", cpus) : "-"};
  }

  private static String roles(JsonNode member) {
    List<String> roles = new ArrayList<>();
    member.path("roles").forEach(r -> {
      if (!r.asText().startsWith("dc-")) {
        roles.add(r.asText());
      }
    });
    return roles.isEmpty() ? "-" : String.join(",", roles);
  }

  private static String times(JsonNode r) {
    StringBuilder t = new StringBuilder();
    if (r.has("detectMillis")) {
      t.append(String.format(Locale.ROOT, ": detected in %.0f ms", r.path("detectMillis").asDouble()));
    }
    if (r.has("mttrMillis")) {
      t.append(String.format(Locale.ROOT, ", running again in %.0f ms", r.path("mttrMillis").asDouble()));
    }
    if (r.has("reconfigureMillis")) {
      t.append(String.format(Locale.ROOT, ": re-configured in %.0f ms", r.path("reconfigureMillis").asDouble()));
    }
    return t.toString();
  }

  private static String loss(JsonNode loss) {
    return loss.isNumber() ? String.format(Locale.ROOT, "%.4f", loss.asDouble()) : "-";
  }

  private static void table(StringBuilder out, List<String[]> rows) {
    int[] width = new int[rows.get(0).length];
    for (String[] r : rows) {
      for (int i = 0; i < r.length; i++) {
        width[i] = Math.max(width[i], r[i].length());
      }
    }
    for (String[] r : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < r.length; i++) {
        line.append(i == r.length - 1 ? r[i] : String.format("%-" + (width[i] + 2) + "s", r[i]));
      }
      out.append(line.toString().stripTrailing()).append('\n');
    }
  }
}
