package io.elaswave.app.demo;

import io.elaswave.engine.model.Model;
import io.elaswave.engine.train.TrainConfig;
import io.elaswave.protocol.fault.Fault;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** What the demo tells before it runs: the plan, in a few wrapped bullets. */
final class DemoNarration {
  private final PrintWriter out;
  private final DemoScenario s;
  private final DemoMarks marks;

  DemoNarration(PrintWriter out, DemoScenario scenario, DemoMarks marks) {
    this.out = out;
    this.s = scenario;
    this.marks = marks;
  }

  void plan(TrainConfig config, Model m) {
    int seqLen = m.config().seqLen();
    int nodes = DemoScenario.NODES;
    out.println("elaswave demo kill-node: lose a node in the middle of a step, gain one later, and stay");
    out.println("bitwise on the course of a run that never failed.");
    out.println();
    List<String> plan = new ArrayList<>(List.of(
        String.format(Locale.ROOT, "%d node JVMs start on this machine (127.0.0.1) and train model %s (%,d"
            + " parameters, %d tokens a step) for %d steps on dp%d x pp%d = %d ranks, one rank per node: %d"
            + " data-parallel replicas, each a %d-stage pipeline, with ZeRO-1 optimizer shards.", nodes, s.model(),
            m.paramCount(), config.tokensPerStep(seqLen), s.steps(), DemoScenario.DP, DemoScenario.PP,
            DemoScenario.DP * DemoScenario.PP, DemoScenario.DP, DemoScenario.PP),
        "During step " + s.killAt() + ", " + DemoScenario.VICTIM + " gets SIGKILL. The scheduler notices the death,"
            + " re-plans the hit replica over the " + (nodes - 1) + " survivors and redoes step " + s.killAt()
            + ": only the step in flight is lost.",
        "At step " + s.joinAt() + " a fresh node JVM (node-" + nodes + ") starts, warms up while the job trains on and"
            + " joins at the next step boundary;"
            + " the job is back on " + nodes + " nodes."));
    if (!s.budgets().isEmpty()) {
      plan.add("Every node JVM is an emulated accelerator: a control group gives it " + s.budgets().describe()
          + " of this machine, so its speed is fixed and throughput falls to what the survivors can do after the"
          + " kill, and comes back with the join. Throughput figures are those of emulated accelerators.");
    }
    if (!s.moreFaults().isEmpty()) {
      plan.add("Also injected: " + s.moreFaults().stream().map(Fault::text).collect(Collectors.joining(", "))
          + ".");
    }
    plan.add("Every step's parameter digest is compared with a failure-free run of the single-threaded reference"
        + " trainer: " + marks.ok() + " means bitwise equal.");
    for (String p : plan) {
      List<String> lines = DemoTimeline.wrap(p, DemoTimeline.WIDTH - 6);
      out.println("  * " + lines.get(0));
      lines.subList(1, lines.size()).forEach(l -> out.println("    " + l));
    }
    out.println();
    out.flush();
  }
}
