package io.elaswave.app;

import io.elaswave.app.launch.BudgetGroups;
import io.elaswave.app.launch.NetworkLab;
import io.elaswave.engine.train.TrainConfig;
import io.elaswave.planner.CostModel;
import io.elaswave.planner.InfeasiblePartitionException;
import io.elaswave.planner.ModelProfile;
import io.elaswave.planner.PlanRequest;
import io.elaswave.planner.RankInfo;
import io.elaswave.planner.StaticPlanner;
import io.elaswave.protocol.fault.Fault;
import java.io.IOException;

/**
 * Whether a runtime job can run at all, decided before anything starts (no node JVM, no output
 * file): the fault script's targets exist (node faults need local node JVMs, a partition or
 * {@code --netns} root as well), the pure planner can lay the shape out (the same
 * pre-check the scheduler makes), the local nodes have room for every rank, and CPU budgets name
 * nodes the run has and can be set on this machine (a probe group is made and removed: nothing
 * may run half-limited). Each refusal is an {@link InputException}: one line naming the flags,
 * exit status 2.
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
      var model = config.modelConfig(vocabSize);
      StaticPlanner.plan(new PlanRequest(RankInfo.packed(ranks, ranks, "any-node-"), o.dp(), o.pp(),
          config.microBatches(), ModelProfile.estimate(model, o.dp()), o.effectiveRankMemory()),
          CostModel.activationBytes(model, config.microBatchSize()));
    } catch (InfeasiblePartitionException e) {
      throw new InputException("--rank-memory " + o.effectiveRankMemory() + " (" + (o.rankMemory() > 0 ? "given"
          : "0.3 of the " + (o.local() && o.nodes() > 1 ? (o.effectiveNodeHeap() >> 20) + "m " : "")
          + "heap over the ranks of a JVM; --node-heap or --rank-memory raise it") + "): " + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new InputException("--dp " + o.dp() + " --pp " + o.pp() + " --micro-batches " + config.microBatches()
          + " (model " + config.model() + "): cannot be laid out: " + e.getMessage());
    }
    if (o.local() && o.nodes() > 1 && (long) o.nodes() * o.ranksPerNode() < ranks) {
      throw new InputException("--nodes " + o.nodes() + " x --ranks-per-node " + o.ranksPerNode() + " host "
          + o.nodes() * o.ranksPerNode() + " ranks, but --dp " + o.dp() + " x --pp " + o.pp() + " needs " + ranks);
    }
    if (!o.budgets().isEmpty()) {
      checkBudgets(o);
    }
  }

  /** Budgets need local node JVMs, name only nodes the run starts, and control groups this process can write. */
  private static void checkBudgets(RuntimeOptions o) {
    if (!o.local() || o.nodes() < 2) {
      throw new InputException("--node-cpus gives the node JVMs started here a CPU budget: it needs --nodes 2 or more");
    }
    int started = o.nodes() + o.joinAt().size(); // a joining node gets the next name
    for (String node : o.budgets().byNode().keySet()) {
      if (Integer.parseInt(node.substring("node-".length())) >= started) {
        throw new InputException("--node-cpus " + node + "=" + o.budgets().byNode().get(node).text() + ": no node '"
            + node + "' among node-0..node-" + (started - 1) + " (--nodes " + o.nodes()
            + (o.joinAt().isEmpty() ? "" : " and " + o.joinAt().size() + " --join") + ")");
      }
    }
    try {
      BudgetGroups.probe();
    } catch (IOException e) {
      throw new InputException("--node-cpus needs control groups it can write: " + e.getMessage());
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
      if (f instanceof Fault.Slow s) {
        if (o.budgets().of(s.node()).isEmpty()) {
          throw new InputException(flag + ": a slow fault changes a node's CPU budget: it needs --node-cpus for "
              + s.node());
        }
        if (s.cpus() > Runtime.getRuntime().availableProcessors()) {
          throw new InputException(flag + ": more than this machine's " + Runtime.getRuntime().availableProcessors()
              + " cores");
        }
      }
    } else if (f instanceof Fault.RankFault r && r.rank().value() >= ranks) {
      throw new InputException(flag + ": no rank " + r.rank() + " among r0..r" + (ranks - 1) + " (--dp "
          + o.dp() + " x --pp " + o.pp() + ")");
    }
  }
}
