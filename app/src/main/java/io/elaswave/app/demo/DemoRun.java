package io.elaswave.app.demo;

import io.elaswave.app.ProgressReporter;
import io.elaswave.app.RunEvent;
import io.elaswave.app.RuntimeDriver;
import io.elaswave.engine.data.Corpus;
import io.elaswave.engine.param.Digest;
import io.elaswave.engine.train.StepResult;
import io.elaswave.engine.train.TrainConfig;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * The runtime part of the demo: starts the nodes, steps, turns events into timeline entries, and
 * keeps what the {@link DemoSummary} needs (the first kill, recovery and join, and when).
 */
final class DemoRun {
  /** One committed step of the runtime. */
  record Row(long step, float loss, long digest, String layout, long nanos, long tokens) {}

  private final PrintWriter out;
  private final DemoScenario scenario;
  private final long[] reference;
  private final DemoMarks marks;
  private final DemoTimeline timeline;
  private final io.elaswave.app.MetricsWriter metrics;
  final List<Row> rows = new ArrayList<>();
  final TreeSet<Long> faultSteps = new TreeSet<>();
  RuntimeException failure;
  long failedStep;
  RunEvent.NodeKilled killed;
  long killStep = -1;
  RunEvent.Recovered recovered;
  long recoveredStep = -1;
  double startMillis = Double.NaN;
  RunEvent.NodeJoined joined;
  long joinedStep = -1;

  DemoRun(PrintWriter out, DemoScenario scenario, long[] reference, DemoMarks marks,
      io.elaswave.app.MetricsWriter metrics) {
    this.metrics = metrics;
    this.out = out;
    this.scenario = scenario;
    this.reference = reference;
    this.marks = marks;
    this.timeline = new DemoTimeline(out);
  }

  void go(TrainConfig config, Corpus corpus) {
    out.println("starting " + DemoScenario.NODES + " node JVMs...");
    out.flush();
    long t0 = System.nanoTime();
    try (RuntimeDriver driver = RuntimeDriver.start(scenario.options(), config, null, corpus,
        timeline.nodeOutput())) {
      out.println("job started in " + ProgressReporter.duration(System.nanoTime() - t0) + " under layout "
          + driver.layout() + "; the clock starts now.");
      out.println();
      out.flush();
      timeline.start(System.nanoTime());
      try (DemoEvents events = new DemoEvents(driver)) {
        steps(driver, events);
      } finally {
        timeline.stopNodeLines();
        timeline.flush();
      }
      out.println();
      out.println("stopping the node JVMs...");
      out.println();
      out.flush();
    }
  }

  private void steps(RuntimeDriver driver, DemoEvents events) {
    while (driver.committedSteps() < scenario.steps()) {
      long next = driver.committedSteps() + 1;
      if (next == scenario.joinAt()) {
        timeline.add(System.nanoTime(), ">> starting one more node JVM during step " + next
            + "; it joins at the first step boundary once warm", 3);
        timeline.flush();
      }
      long begin = System.nanoTime();
      StepResult r;
      try {
        r = driver.step();
      } catch (RuntimeException e) {
        long now = System.nanoTime();
        events(events.take(), next, begin, now);
        failure = e;
        failedStep = next;
        timeline.add(now, "!! the run failed during step " + next + ": " + DemoSummary.message(e), 3);
        timeline.flush();
        return;
      }
      long end = System.nanoTime();
      List<DemoEvents.Seen> seen = events.take();
      long stepBegin = events(seen, r.step(), begin, end);
      seen.forEach(s -> metrics.event(s.event()));
      metrics.step(r, end - stepBegin, driver);
      rows.add(new Row(r.step(), r.loss(), r.digest(), driver.layout(), end - stepBegin, r.tokens()));
      timeline.add(end, stepLine(rows.get(rows.size() - 1)), 0);
      timeline.flush();
    }
  }

  private String stepLine(Row row) {
    int width = Integer.toString(scenario.steps()).length();
    boolean known = row.step() >= 1 && row.step() <= reference.length;
    boolean same = known && reference[(int) row.step() - 1] == row.digest();
    String line = String.format(Locale.ROOT, "step %" + width + "d  loss %.4f  %-18s %5d ms  digest %s %s",
        row.step(), row.loss(), row.layout(), Math.round(row.nanos() / 1e6), Digest.hex(row.digest()),
        same ? marks.ok() : marks.bad());
    if (!same && known) {
      line += " (reference " + Digest.hex(reference[(int) row.step() - 1]) + ")";
    }
    return line;
  }

  /**
   * Turns the events seen during step {@code step} (requested at {@code begin}, committed at
   * {@code end}) into timeline entries; returns when the step itself began (after a joining
   * node's JVM was up).
   */
  private long events(List<DemoEvents.Seen> seen, long step, long begin, long end) {
    // The driver measures a recovery from the kill; put the kill and the recovery where they were.
    long killAtNanos = -1;
    for (DemoEvents.Seen s : seen) {
      if (s.event() instanceof RunEvent.Recovered r) {
        killAtNanos = end - nanos(r.redoneMillis());
      }
    }
    long stepBegin = begin;
    long startedAt = -1;
    for (DemoEvents.Seen s : seen) {
      RunEvent e = s.event();
      faultSteps.add(step);
      if (e instanceof RunEvent.NodeKilled k) {
        killed = killed == null ? k : killed;
        killStep = killStep < 0 ? step : killStep;
        timeline.add(killAtNanos >= 0 ? killAtNanos : s.at(), String.format(Locale.ROOT,
            ">> %s killed (SIGKILL, pid %d) during step %d", k.node(), k.pid(), k.step()), 3);
      } else if (e instanceof RunEvent.FaultInjected f) {
        if (!f.fault().startsWith("kill:")) { // a kill is told by its node-killed event
          timeline.add(s.at(), ">> injected " + f.fault() + " before step " + f.step(), 3);
        }
      } else if (e instanceof RunEvent.Recovered r) {
        recovered = recovered == null ? r : recovered;
        recoveredStep = recoveredStep < 0 ? step : recoveredStep;
        String redo = r.abandonedStep() >= 1
            ? "step " + r.abandonedStep() + " redone in " + DemoSummary.ms(r.redoneMillis())
            : "step " + r.step() + " committed " + DemoSummary.ms(r.redoneMillis()) + " after the kill";
        String cause = r.cause().equals("node-dead") ? "" : " after " + r.cause();
        timeline.add(Math.min(end, killAtNanos + nanos(r.mttrMillis())), String.format(Locale.ROOT,
            ">> recovered%s: running as %s, MTTR %s (detect %s), %s", cause, r.layout(),
            DemoSummary.ms(r.mttrMillis()), DemoSummary.ms(r.detectMillis()), redo), 3);
      } else if (e instanceof RunEvent.NodeStarted n) {
        startedAt = s.at();
        stepBegin = Math.max(begin, s.at());
        if (Double.isNaN(startMillis)) {
          startMillis = (s.at() - begin) / 1e6;
        }
        timeline.add(s.at(), String.format(Locale.ROOT, ">> %s is up (pid %d) after %s", n.node(), n.pid(),
            DemoSummary.seconds(s.at() - begin)), 3);
      } else if (e instanceof RunEvent.NodeJoined j) {
        joined = joined == null ? j : joined;
        joinedStep = joinedStep < 0 ? step : joinedStep;
        // The scheduler takes a node in as soon as it hears it, which tends to be before the driver
        // sees it up: the driver's sighting is the best bound the events give.
        long at = startedAt >= 0 ? startedAt : s.at();
        timeline.add(at, String.format(Locale.ROOT, ">> %s joined: running as %s (re-configured in %s)",
            DemoSummary.unbracket(j.nodes()), j.layout(), DemoSummary.ms(j.reconfigureMillis())), 3);
      } else {
        timeline.add(s.at(), ">> " + e.describe(), 3);
      }
    }
    return stepBegin;
  }

  private static long nanos(double millis) {
    return Double.isNaN(millis) ? 0 : Math.round(millis * 1e6);
  }
}
