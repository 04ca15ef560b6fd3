package io.elaswave.app;

import io.elaswave.app.launch.NetworkLab;
import io.elaswave.engine.train.TrainConfig;
import io.elaswave.planner.ModelProfile;
import io.elaswave.planner.PlanRequest;
import io.elaswave.planner.RankInfo;
import io.elaswave.planner.StaticPlanner;
import io.elaswave.protocol.fault.Fault;

/**
 * Whether a runtime job can run at all, decided before anything starts (no node JVM, no output
 * file): the fault script's targets exist (node faults need local node JVMs, a partition or
 * {@code --netns} root as well), the pure planner can lay the shape out (the same
 * pre-check the scheduler makes), and the local nodes have room for every rank. Each refusal is
 * an {@link InputException}: one line naming the flags, exit status 2.
 */
public final class JobCheck {
  private JobCheck() {}

  /** @throws InputException if the job cannot run as asked */
  public static void check(RuntimeOptions o, TrainConfig config, int vocabSize) {
    int ranks = o.dp() * o.pp();
    for (Fault f : o.faults()) {
      checkFault(o, config, ranks, f);
    }
    if (o.netns() && (!o.local() || o.nodes() < 2)) {
      throw new InputException("--netns runs the node JVMs started here in network namespaces: it needs --nodes 2"
          + " or more");
    }
    if (o.netns() && !NetworkLab.isRoot()) {
      throw new InputException("--netns needs root: it creates network namespaces");
    }
    try {
      StaticPlanner.plan(PlanRequest.of(RankInfo.packed(ranks, ranks, "any-node-"), o.dp(), o.pp(),
          config.microBatches(), ModelProfile.estimate(config.modelConfig(vocabSize), o.dp())));
    } catch (IllegalArgumentException e) {
      throw new InputException("--dp " + o.dp() + " --pp " + o.pp() + " --micro-batches " + config.microBatches()
          + " (model " + config.model() + "): cannot be laid out: " + e.getMessage());
    }
    if (o.local() && o.nodes() > 1 && (long) o.nodes() * o.ranksPerNode() < ranks) {
      throw new InputException("--nodes " + o.nodes() + " x --ranks-per-node " + o.ranksPerNode() + " host "
          + o.nodes() * o.ranksPerNode() + " ranks, but --dp " + o.dp() + " x --pp " + o.pp() + " needs " + ranks);
    }
  }

  private static void checkFault(RuntimeOptions o, TrainConfig config, int ranks, Fault f) {
    String flag = "--fault " + f.text() + (f instanceof Fault.Kill k
        ? " (--kill " + k.node().substring("node-".length()) + "@" + k.step() + ")" : "");
    if (f.step() > config.steps()) {
      throw new InputException(flag + ": step " + f.step() + " is after the last step (--steps " + config.steps()
          + ")");
    }
    if (f instanceof Fault.NodeFault n) {
      String kind = f.text().substring(0, f.text().indexOf(':'));
      if (!o.local() || o.nodes() < 2) {
        throw new InputException(flag + ": a " + kind + " needs node JVMs started here (--nodes 2 or more)");
      }
      if (Integer.parseInt(n.node().substring("node-".length())) >= o.nodes()) {
        throw new InputException(flag + ": no node '" + n.node() + "' among node-0..node-" + (o.nodes() - 1)
            + " (--nodes " + o.nodes() + ")");
      }
      if (f instanceof Fault.Partition && !NetworkLab.isRoot()) {
        throw new InputException(flag + ": partition faults need root: the nodes run in network namespaces");
      }
    } else if (f instanceof Fault.RankFault r && r.rank().value() >= ranks) {
      throw new InputException(flag + ": no rank " + r.rank() + " among r0..r" + (ranks - 1) + " (--dp "
          + o.dp() + " x --pp " + o.pp() + ")");
    }
  }
}
