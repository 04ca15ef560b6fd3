package io.elaswave.app.demo;

import io.elaswave.app.JobCheck;
import io.elaswave.app.RuntimeOptions;
import io.elaswave.app.launch.NodeBudgets;
import io.elaswave.engine.train.TrainConfig;
import io.elaswave.protocol.fault.Fault;
import java.util.List;

/**
 * What {@code demo kill-node} plays: {@value #NODES} node JVMs train dp{@value #DP} ×
 * pp{@value #PP} of {@code model} for {@code steps} steps, {@value #VICTIM} is SIGKILLed during
 * step {@code killAt}, a fresh node starts at step {@code joinAt} (and joins once warm), plus any {@code moreFaults}; the
 * first {@code warmup} steps are left out of the throughput figures; with {@code budgets} every
 * node JVM is an emulated accelerator of that many cores, so throughput after the kill is what
 * the survivors can do, and it comes back with the join.
 */
record DemoScenario(String model, int steps, int killAt, int joinAt, int warmup, List<Fault> moreFaults,
    NodeBudgets budgets) {
  static final int NODES = 4;
  static final int DP = 2;
  static final int PP = 2;
  static final String VICTIM = "node-2";

  DemoScenario {
    moreFaults = List.copyOf(moreFaults);
  }

  /** The runtime's options: one rank per node, the kill first, then the other faults. */
  RuntimeOptions options() {
    return RuntimeOptions.builder(DP, PP).nodes(NODES).ranksPerNode(1).fault(new Fault.Kill(VICTIM, killAt))
        .faults(moreFaults).joinAt(joinAt).budgets(budgets).build();
  }

  /** Refuses, before anything starts, a fault the job cannot take (the same checks as train's). */
  void check(TrainConfig config, int vocabSize) {
    JobCheck.check(options(), config, vocabSize);
  }
}
