package io.elaswave.protocol.fault;

import io.elaswave.planner.RankId;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code KIND:TARGET@STEP}: {@code kill:node-2@8} (or {@code kill:2@8}), {@code error:r1@5},
 * {@code hang:r2@5}, {@code freeze:node-2@6} or {@code freeze:node-2+10@6} (resumed after 10 s),
 * {@code partition:node-2@6} or {@code partition:node-2+5@6} (healed after 5 s),
 * {@code slow:node-2=0.13@10} or {@code slow:node-2@10=0.13} (node-2's CPU budget becomes 0.13
 * cores). Errors name what is wrong in one line, for the CLI's exit 2.
 */
public final class FaultParser {
  /** The smallest CPU budget: the kernel's smallest CFS quota, 1 ms, in a 100 ms period. */
  public static final double MIN_CPUS = 0.01;

  private static final Pattern FAULT = Pattern.compile("([a-z]+):([^@]+)@(\\d+)");
  private static final Pattern SLOW_STEP_FIRST = Pattern.compile("slow:([^@=]+)@(\\d+)=([^@]+)");
  private static final Pattern NODE = Pattern.compile("(?:node-)?(\\d+)");
  private static final Pattern TIMED_NODE = Pattern.compile("([^+]+)(?:\\+(\\d{1,6}))?");
  private static final Pattern RANK = Pattern.compile("r?(\\d+)");
  private static final Pattern BUDGETED_NODE = Pattern.compile("([^=]+)=(\\d{1,6}(?:\\.\\d{0,6})?|\\.\\d{1,6})");

  private FaultParser() {}

  /** Parses one fault; throws IllegalArgumentException with a one-line reason. */
  public static Fault parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    Matcher first = SLOW_STEP_FIRST.matcher(t);
    if (first.matches()) { // slow:NODE@STEP=CPUS reads as slow:NODE=CPUS@STEP
      t = "slow:" + first.group(1) + "=" + first.group(3) + "@" + first.group(2);
    }
    Matcher m = FAULT.matcher(t);
    if (!m.matches()) {
      throw new IllegalArgumentException("--fault '" + text + "': expected KIND:TARGET@STEP, e.g. kill:node-2@8,"
          + " error:r1@5, hang:r2@5");
    }
    String kind = m.group(1);
    String target = m.group(2);
    long step = step(text, m.group(3));
    return switch (kind) {
      case "kill" -> new Fault.Kill(node(text, target), step);
      case "freeze", "partition" -> timed(kind, text, target, step);
      case "error" -> new Fault.RankError(rank(text, target), step);
      case "hang" -> new Fault.RankHang(rank(text, target), step);
      case "slow" -> slow(text, target, step);
      default -> throw new IllegalArgumentException("--fault '" + text + "': unknown kind '" + kind
          + "' (kill, freeze, partition, slow, error, hang)");
    };
  }

  /** Today's {@code --kill NODE@STEP} shorthand for {@code kill:NODE@STEP}. */
  public static Fault.Kill parseKill(String text) {
    Fault f = parse("kill:" + text);
    return (Fault.Kill) f;
  }

  /** {@code node-2} or {@code 2} as the canonical {@code node-2}. */
  public static String node(String text, String target) {
    Matcher m = NODE.matcher(target);
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + text + "': '" + target + "' is not a node (node-<i> or <i>)");
    }
    return "node-" + Integer.parseInt(m.group(1));
  }

  private static Fault timed(String kind, String text, String target, long step) {
    Matcher m = TIMED_NODE.matcher(target);
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + text + "': expected NODE or NODE+SECONDS, e.g. node-2+5");
    }
    String node = node(text, m.group(1));
    long seconds = m.group(2) == null ? 0 : Long.parseLong(m.group(2));
    if (m.group(2) != null && seconds < 1) {
      throw new IllegalArgumentException("'" + text + "': the duration must be a whole number of seconds >= 1");
    }
    return kind.equals("freeze") ? new Fault.Freeze(node, step, seconds) : new Fault.Partition(node, step, seconds);
  }

  /** {@code NODE=CPUS}; the upper bound (the machine's cores) is the launcher's to check. */
  private static Fault slow(String text, String target, long step) {
    Matcher m = BUDGETED_NODE.matcher(target);
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + text + "': expected NODE=CPUS, e.g. slow:node-2=0.13@10");
    }
    double cpus = Double.parseDouble(m.group(2));
    if (cpus < MIN_CPUS) {
      throw new IllegalArgumentException("'" + text + "': the budget must be at least " + MIN_CPUS + " cores");
    }
    return new Fault.Slow(node(text, m.group(1)), step, cpus);
  }

  private static RankId rank(String text, String target) {
    Matcher m = RANK.matcher(target);
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + text + "': '" + target + "' is not a rank (r<i> or <i>)");
    }
    return RankId.of(Integer.parseInt(m.group(1)));
  }

  private static long step(String text, String digits) {
    try {
      long step = Long.parseLong(digits);
      if (step < 1) {
        throw new NumberFormatException();
      }
      return step;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "': the step must be a whole number >= 1");
    }
  }
}
