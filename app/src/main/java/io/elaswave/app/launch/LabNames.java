package io.elaswave.app.launch;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The names a {@link NetworkLab} gives what it creates, {@code ew<launcher pid><kind><index>}
 * (bridge {@code ew1234br}, namespace {@code ew1234n2}, veth ends {@code ew1234h2} and
 * {@code ew1234p2}), and the two ways leftovers are removed whatever happened to the launcher:
 * a sweep of dead launchers' names, and a detached watchdog that outlives this one.
 */
final class LabNames {
  static final String PREFIX = "ew";
  /** Linux's limit on interface names (IFNAMSIZ - 1). */
  static final int MAX_LINK_NAME = 15;
  private static final Pattern NAME = Pattern.compile(PREFIX + "(\\d+)[a-z]+\\d*");

  private LabNames() {}

  static String bridge(long pid) {
    return link(pid, "br", "");
  }

  static String namespace(long pid, int index) {
    return PREFIX + pid + "n" + index;
  }

  static String hostLink(long pid, int index) {
    return link(pid, "h", Integer.toString(index));
  }

  static String peerLink(long pid, int index) {
    return link(pid, "p", Integer.toString(index));
  }

  private static String link(long pid, String kind, String index) {
    String name = PREFIX + pid + kind + index;
    if (name.length() > MAX_LINK_NAME) {
      throw new IllegalArgumentException("interface name " + name + " is longer than " + MAX_LINK_NAME + " characters");
    }
    return name;
  }

  /** The namespaces whose names are a lab's, as {@code ip netns list} shows them. */
  static List<String> namespaces() throws IOException {
    List<String> names = new ArrayList<>();
    for (String line : Ip.run("netns", "list").split("\n")) {
      String name = line.trim().split("\\s+")[0];
      if (NAME.matcher(name).matches()) {
        names.add(name);
      }
    }
    return names;
  }

  /** The links (in this namespace) whose names are a lab's, from {@code ip -o link show}. */
  static List<String> links() throws IOException {
    List<String> names = new ArrayList<>();
    for (String line : Ip.run("-o", "link", "show").split("\n")) {
      String[] parts = line.split(":\\s+", 3); // "7: ew12h0@if6: <BROADCAST,..."
      if (parts.length > 1) {
        String name = parts[1].split("@")[0];
        if (NAME.matcher(name).matches()) {
          names.add(name);
        }
      }
    }
    return names;
  }

  /** The lab names of launcher {@code pid}, namespaces then links. */
  static List<String> of(long pid) throws IOException {
    List<String> mine = new ArrayList<>();
    for (String name : concat(namespaces(), links())) {
      if (pidOf(name) == pid) {
        mine.add(name);
      }
    }
    return mine;
  }

  /** Removes what labs of launchers that no longer run left behind (a SIGKILL and a lost watchdog). */
  static void sweepDead() throws IOException {
    for (String ns : namespaces()) {
      if (dead(pidOf(ns))) {
        Ip.runQuietly("netns", "del", ns);
      }
    }
    for (String link : links()) { // deleting one veth end takes its peer along, so re-check each
      if (dead(pidOf(link))) {
        Ip.runQuietly("link", "del", link);
      }
    }
  }

  /**
   * Starts a shell in its own session (Ctrl-C and the launcher's death leave it running) that
   * waits until {@code pid} is gone, then deletes every namespace and link named for it, found by
   * name so that nodes added after this call are covered too.
   */
  static Process startWatchdog(long pid) throws IOException {
    String p = PREFIX + pid;
    return Detached.afterDeathOf(pid,
        "for n in $(ip netns list | sed -n 's/^\\(" + p + "[a-z][a-z]*[0-9]*\\).*/\\1/p'); do ip netns del $n; done\n"
        + "for l in $(ip -o link show | sed -n 's/^[0-9]*: \\(" + p + "[a-z][a-z]*[0-9]*\\)[@:].*/\\1/p'); do"
        + " ip link del $l; done\n");
  }

  private static long pidOf(String name) {
    Matcher m = NAME.matcher(name);
    return m.matches() ? Long.parseLong(m.group(1)) : -1;
  }

  private static boolean dead(long pid) {
    return Detached.dead(pid);
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
