package io.elaswave.protocol.fault;

import io.elaswave.planner.RankId;

/**
 * A fault to inject into a run at a step: the one vocabulary of the CLI's {@code --fault}, the
 * demo and the multi-node scenarios. Node faults are carried out by whoever started the node's
 * JVM (the launcher or the harness); rank faults travel through the scheduler to the rank.
 */
public sealed interface Fault {
  /** The step during which the fault strikes. */
  long step();

  /** The canonical text of the fault, {@code KIND:TARGET@STEP}, as {@link FaultParser} reads it. */
  String text();

  /** A fault on a node's JVM, carried out by the process that started it. */
  sealed interface NodeFault extends Fault {
    /** The node's name, {@code node-<i>}. */
    String node();
  }

  /** A fault inside one rank actor, armed through the scheduler. */
  sealed interface RankFault extends Fault {
    RankId rank();
  }

  /** SIGKILL the node's JVM while the step runs. */
  record Kill(String node, long step) implements NodeFault {
    @Override public String text() {
      return "kill:" + node + "@" + step;
    }
  }

  /**
   * SIGSTOP the node's JVM while the step runs (a hung host: sockets open, nothing answers);
   * SIGCONT after {@code seconds} if given (0: frozen for good).
   */
  record Freeze(String node, long step, long seconds) implements NodeFault {
    @Override public String text() {
      return "freeze:" + node + (seconds > 0 ? "+" + seconds : "") + "@" + step;
    }
  }

  /**
   * Cut the node's network link while the step runs (its JVM keeps running on the far side of a
   * partition); heal it after {@code seconds} if given (0: cut for good). Needs root: the node
   * JVMs then run in network namespaces.
   */
  record Partition(String node, long step, long seconds) implements NodeFault {
    @Override public String text() {
      return "partition:" + node + (seconds > 0 ? "+" + seconds : "") + "@" + step;
    }
  }

  /**
   * Change the node's CPU budget to {@code cpus} cores while the step runs (a slower, or faster,
   * emulated accelerator): the launcher rewrites the quota of the node's control group. Only for
   * nodes started with a budget ({@code --node-cpus}).
   */
  record Slow(String node, long step, double cpus) implements NodeFault {
    @Override public String text() {
      return "slow:" + node + "=" + cores(cpus) + "@" + step;
    }

    /** {@code 0.13}, {@code 1}: the shortest decimal, as typed. */
    public static String cores(double cpus) {
      return java.math.BigDecimal.valueOf(cpus).stripTrailingZeros().toPlainString();
    }
  }

  /** The rank throws during the step's backward pass: its actor fails and is stopped. */
  record RankError(RankId rank, long step) implements RankFault {
    @Override public String text() {
      return "error:" + rank + "@" + step;
    }
  }

  /** The rank stops processing messages from the step on, while its node keeps beating. */
  record RankHang(RankId rank, long step) implements RankFault {
    @Override public String text() {
      return "hang:" + rank + "@" + step;
    }
  }
}
