package io.elaswave.app.demo;

import java.io.PrintWriter;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The demo's timeline: entries stamped with {@link System#nanoTime()}, printed in time order as
 * {@code +12.34s  text}, long texts wrapped under their first word. It also takes the lines the
 * runtime writes about the node JVMs (their start, and the warnings they echo, e.g. the
 * scheduler's re-plans): before {@link #start} they are printed as they come, indented; while the
 * run is on they become timeline entries stamped when they arrived; after {@link #stopNodeLines}
 * they are dropped (shutdown chatter; the node logs keep everything).
 *
 * <p>Thread-safe: node lines arrive on the children's pump threads.
 */
final class DemoTimeline {
  /** Wrap width: the whole line, time column included. */
  static final int WIDTH = 96;
  private static final int TIME_COLUMN = 10; // "  +12.34s  "
  private static final Pattern NODE_LINE =
      Pattern.compile("^\\[(node-\\d+)\\] \\S+ +(TRACE|DEBUG|INFO|WARN|ERROR) +(\\S+) +- (.*)$");

  private record Entry(long at, long seq, String text, int hang) {}

  private final PrintWriter out;
  private final List<Entry> pending = new ArrayList<>();
  private long seq;
  private long startNanos;
  private boolean started;
  private boolean nodeLinesStopped;

  DemoTimeline(PrintWriter out) {
    this.out = out;
  }

  /** Time zero of the timeline; node lines from now on are entries. */
  synchronized void start(long nanos) {
    startNanos = nanos;
    started = true;
  }

  /** Seconds since {@link #start}, as printed in the time column. */
  synchronized double seconds(long nanos) {
    return Math.max(0, nanos - startNanos) / 1e9;
  }

  /** Adds an entry; continuation lines of a wrapped text are indented by {@code hang} more. */
  synchronized void add(long at, String text, int hang) {
    pending.add(new Entry(at, seq++, text, hang));
  }

  /** Prints every pending entry, earliest first. */
  synchronized void flush() {
    pending.sort(Comparator.comparingLong(Entry::at).thenComparingLong(Entry::seq));
    for (Entry e : pending) {
      String time = String.format(Locale.ROOT, "+%.2fs", seconds(e.at()));
      List<String> lines = wrap(e.text(), WIDTH - TIME_COLUMN - e.hang());
      out.printf(Locale.ROOT, "%8s  %s%n", time, lines.get(0));
      String indent = " ".repeat(TIME_COLUMN + e.hang());
      for (String l : lines.subList(1, lines.size())) {
        out.println(indent + l);
      }
    }
    pending.clear();
    out.flush();
  }

  /** From now on node lines are dropped. */
  synchronized void stopNodeLines() {
    nodeLinesStopped = true;
  }

  /** A writer for {@link io.elaswave.app.RuntimeDriver#start}: each complete line goes to {@link #nodeLine}. */
  PrintWriter nodeOutput() {
    return new PrintWriter(new Writer() {
      private final StringBuilder line = new StringBuilder();

      @Override public void write(char[] chars, int off, int len) {
        synchronized (line) {
          for (int i = off; i < off + len; i++) {
            char c = chars[i];
            if (c == '\n') {
              nodeLine(line.toString());
              line.setLength(0);
            } else if (c != '\r') {
              line.append(c);
            }
          }
        }
      }

      @Override public void flush() {}

      @Override public void close() {}
    }, true);
  }

  private synchronized void nodeLine(String line) {
    if (!started) {
      out.println("  " + line);
      out.flush();
    } else if (!nodeLinesStopped) {
      add(System.nanoTime(), "   " + shorten(line), 5);
    }
  }

  /**
   * {@code [node-0] 23:07:20.052 WARN  i.e.actors.scheduler.Scheduler - node node-2 is dead} becomes
   * {@code node-0 Scheduler: node node-2 is dead} (the time column says when); anything else is
   * kept as it is.
   */
  static String shorten(String line) {
    Matcher m = NODE_LINE.matcher(line);
    if (!m.matches()) {
      return line;
    }
    String logger = m.group(3).substring(m.group(3).lastIndexOf('.') + 1);
    String level = m.group(2).equals("WARN") || m.group(2).equals("INFO") ? "" : m.group(2) + " ";
    return m.group(1) + " " + logger + ": " + level + m.group(4);
  }

  /**
   * Greedy wrap at spaces, keeping the text's own spacing (aligned columns stay aligned); a word
   * longer than {@code width} gets a line of its own. Continuation lines lose their leading spaces.
   */
  static List<String> wrap(String text, int width) {
    List<String> lines = new ArrayList<>();
    String rest = text;
    while (rest.length() > width) {
      int lead = 0;
      while (lead < rest.length() && rest.charAt(lead) == ' ') {
        lead++;
      }
      int cut = rest.lastIndexOf(' ', width);
      if (cut <= lead) {
        cut = rest.indexOf(' ', Math.max(width, lead));
        if (cut < 0) {
          break;
        }
      }
      lines.add(rest.substring(0, cut).stripTrailing());
      rest = rest.substring(cut).stripLeading();
    }
    lines.add(rest);
    return lines;
  }
}
