package io.elaswave.app.launch;

import java.nio.file.Path;
import java.util.List;

/**
 * A child did not print its readiness line: it exited (or closed its output) first, or the wait
 * timed out. The message names the node and pid and quotes the child's last output lines.
 */
public final class NodeNotReadyException extends RuntimeException {
  private final String node;
  private final List<String> lastLines;

  NodeNotReadyException(String node, String reason, List<String> lastLines, Path logFile) {
    super(message(node, reason, lastLines, logFile));
    this.node = node;
    this.lastLines = List.copyOf(lastLines);
  }

  public String node() {
    return node;
  }

  /** The child's last output lines before the failure, oldest first. */
  public List<String> lastLines() {
    return lastLines;
  }

  private static String message(String node, String reason, List<String> lines, Path logFile) {
    StringBuilder text = new StringBuilder(node).append(' ').append(reason);
    if (lines.isEmpty()) {
      text.append("; it printed nothing (log: ").append(logFile).append(')');
    } else {
      text.append("; its last ")
          .append(lines.size())
          .append(" output lines (log: ")
          .append(logFile)
          .append("):");
      for (String line : lines) {
        text.append("\n  | ").append(line);
      }
    }
    return text.toString();
  }
}
