package io.elaswave.app;

import io.elaswave.engine.param.Digest;

/**
 * Something that happened to a run besides a step: a node killed, thawed or healed, a fault injected, a recovery, a
 * node started or joined, an evaluation, a checkpoint, a resume, the end. Each is written to the
 * metrics file as {@code {"event":NAME,...,"atMillis":T}} with its fields in a fixed order, and to
 * the terminal by {@link #describe()}; {@code atMillis} is this JVM's wall clock when it happened.
 */
public sealed interface RunEvent {
  /** The {@code "event"} value, e.g. {@code recovered}. */
  String name();

  /** When it happened: {@link System#currentTimeMillis()} of the driver. */
  long atMillis();

  /** Appends the event's own fields, without {@code event} and {@code atMillis}. */
  void fields(JsonLine line);

  /** The whole JSON object. */
  default JsonLine json() {
    JsonLine line = new JsonLine().field("event", name());
    fields(line);
    return line.field("atMillis", atMillis());
  }

  /** The whole JSON object as text, as the metrics file has it. */
  default String jsonText() {
    return json().toString();
  }

  /** One line for the terminal: {@code node-killed node=node-2 pid=123 step=8}. */
  default String describe() {
    JsonLine line = new JsonLine();
    fields(line);
    return name() + line.keyValues();
  }

  /** The driver SIGKILLed {@code node} (process {@code pid}) while step {@code step} ran. */
  record NodeKilled(long atMillis, String node, long pid, long step) implements RunEvent {
    @Override public String name() {
      return "node-killed";
    }

    @Override public void fields(JsonLine l) {
      l.field("node", node).field("pid", pid).field("step", step);
    }
  }

  /** A fault of the script ({@code fault} is its text, e.g. {@code hang:r2@5}) was injected for {@code step}. */
  record FaultInjected(long atMillis, String fault, long step) implements RunEvent {
    @Override public String name() {
      return "fault-injected";
    }

    @Override public void fields(JsonLine l) {
      l.field("fault", fault).field("step", step);
    }
  }

  /**
   * The runtime recovered from a fault ({@code cause}: node-dead, rank-error, step-deadline,
   * scheduler-failover) and committed {@code step} under {@code layout}; the times run from the
   * fault to its detection, to training running again, and to this step committed.
   */
  record Recovered(long atMillis, long step, String cause, String nodes, String ranks, String layout,
      long abandonedStep, double detectMillis, double mttrMillis, double redoneMillis) implements RunEvent {
    @Override public String name() {
      return "recovered";
    }

    @Override public void fields(JsonLine l) {
      l.field("step", step).field("cause", cause).field("nodes", nodes).field("ranks", ranks).field("layout", layout)
          .field("abandonedStep", abandonedStep).field("detectMillis", detectMillis).field("mttrMillis", mttrMillis)
          .field("redoneMillis", redoneMillis);
    }
  }

  /**
   * The restart policy stopped the job while {@code step} ran and it started again as
   * {@code layout} from the checkpoint of {@code fromStep} (0: from scratch), so the steps after it
   * up to {@code stepsRedone} are run twice; the times run from the fault to the driver hearing of
   * the restart, and to the job running again.
   */
  record Restarted(long atMillis, long step, String reason, String layout, long fromStep, long stepsRedone,
      double detectMillis, double mttrMillis) implements RunEvent {
    @Override public String name() {
      return "restarted";
    }

    @Override public void fields(JsonLine l) {
      l.field("step", step).field("reason", reason).field("layout", layout).field("fromStep", fromStep)
          .field("stepsRedone", stepsRedone).field("detectMillis", detectMillis).field("mttrMillis", mttrMillis);
    }
  }

  /** The driver SIGCONTed {@code node} (process {@code pid}), frozen by fault {@code fault}. */
  record NodeThawed(long atMillis, String node, long pid, String fault) implements RunEvent {
    @Override public String name() {
      return "node-thawed";
    }

    @Override public void fields(JsonLine l) {
      l.field("node", node).field("pid", pid).field("fault", fault);
    }
  }

  /** The driver brought {@code node}'s link back up, cut by fault {@code fault}. */
  record NodeHealed(long atMillis, String node, String fault) implements RunEvent {
    @Override public String name() {
      return "node-healed";
    }

    @Override public void fields(JsonLine l) {
      l.field("node", node).field("fault", fault);
    }
  }

  /**
   * The driver started node JVM {@code node} before step {@code step}, with a budget of
   * {@code cpus} cores (an emulated accelerator; 0: unlimited, and no {@code cpus} field).
   */
  record NodeStarted(long atMillis, String node, long pid, long step, double cpus) implements RunEvent {
    @Override public String name() {
      return "node-started";
    }

    @Override public void fields(JsonLine l) {
      l.field("node", node).field("pid", pid).field("step", step);
      if (cpus > 0) {
        l.field("cpus", cpus);
      }
    }
  }

  /**
   * The job re-planned for measured speed alone ({@code cause}: slow, speed-recovered), no node
   * lost or gained: {@code ranks} are the slow ones (none when a rank got its speed back); the
   * new layout ran from {@code step}, {@code reconfigureMillis} after the decision, ready at
   * {@code readyAtMillis} (the scheduler's wall clock; cause {@code migrated}: a background
   * migration's switch to the balanced layout).
   */
  record Replanned(long atMillis, long step, String cause, String nodes, String ranks, String layout,
      double reconfigureMillis, long readyAtMillis) implements RunEvent {
    @Override public String name() {
      return "replanned";
    }

    @Override public void fields(JsonLine l) {
      l.field("step", step).field("cause", cause).field("nodes", nodes).field("ranks", ranks).field("layout", layout)
          .field("reconfigureMillis", reconfigureMillis).field("readyAtMillis", readyAtMillis);
    }
  }

  /**
   * The scheduler set clocks under {@code mode}, in force from step {@code step} on (it reports a
   * plan with the first commit made under it):
   * {@code clocks} as {@code node-0=1.000,node-3=0.610}, why, and the modelled step (ms) and mean
   * power (W, modelled: see PowerModel) with every node nominal and as planned.
   */
  record Clocks(long atMillis, long step, String mode, String clocks, String reason, double nominalMillis,
      double plannedMillis, double nominalWatts, double plannedWatts) implements RunEvent {
    /** From the scheduler's plan, reported with the commit of {@code step}. */
    static Clocks of(long atMillis, long step, io.elaswave.protocol.runtime.DriverMessage.ClocksPlanned p) {
      String clocks = String.join(",", p.clocks().stream().map(c -> String.format(java.util.Locale.ROOT, "%s=%.3f",
          c.node(), c.clock())).toList());
      return new Clocks(atMillis, step, p.mode(), clocks, p.reason(), p.nominalMillis(), p.plannedMillis(),
          p.nominalWatts(), p.plannedWatts());
    }

    @Override public String name() {
      return "clocks";
    }

    @Override public void fields(JsonLine l) {
      l.field("step", step).field("mode", mode).field("clocks", clocks).field("reason", reason)
          .field("nominalMillis", Math.round(nominalMillis * 10) / 10.0)
          .field("plannedMillis", Math.round(plannedMillis * 10) / 10.0)
          .field("nominalWatts", Math.round(nominalWatts * 10) / 10.0)
          .field("plannedWatts", Math.round(plannedWatts * 10) / 10.0);
    }
  }

  /** Nodes joined the job at the start of {@code step}, re-configured in {@code reconfigureMillis}. */
  record NodeJoined(long atMillis, long step, String nodes, String ranks, String layout, double reconfigureMillis)
      implements RunEvent {
    @Override public String name() {
      return "node-joined";
    }

    @Override public void fields(JsonLine l) {
      l.field("step", step).field("nodes", nodes).field("ranks", ranks).field("layout", layout)
          .field("reconfigureMillis", reconfigureMillis);
    }
  }

  /** Validation loss of the state after {@code step}. */
  record Eval(long atMillis, long step, float valLoss) implements RunEvent {
    @Override public String name() {
      return "eval";
    }

    @Override public void fields(JsonLine l) {
      l.field("step", step).field("valLoss", valLoss);
    }
  }

  /** A checkpoint of the state after {@code step} was written to {@code path} (absolute). */
  record Checkpoint(long atMillis, long step, String path) implements RunEvent {
    @Override public String name() {
      return "checkpoint";
    }

    @Override public void fields(JsonLine l) {
      l.field("step", step).field("path", path);
    }
  }

  /** The run continues after {@code step}, from the checkpoint at {@code from} (absolute). */
  record Resume(long atMillis, long step, String from) implements RunEvent {
    @Override public String name() {
      return "resume";
    }

    @Override public void fields(JsonLine l) {
      l.field("step", step).field("from", from);
    }
  }

  /** The run ended after {@code steps}, with its last loss, validation loss, wall time and digest. */
  record Done(long atMillis, long steps, float loss, float valLoss, double seconds, long digest) implements RunEvent {
    @Override public String name() {
      return "done";
    }

    @Override public void fields(JsonLine l) {
      l.field("steps", steps).field("loss", loss).field("valLoss", valLoss).field("seconds", seconds)
          .field("digest", Digest.hex(digest));
    }
  }
}
