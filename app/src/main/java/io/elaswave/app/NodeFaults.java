package io.elaswave.app;

import io.elaswave.app.launch.CpuBudget;
import io.elaswave.app.launch.LoopbackCluster;
import io.elaswave.app.launch.NodeProcess;
import io.elaswave.protocol.fault.Fault;
import java.io.IOException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * Carries out the node faults of a {@code --nodes} run on the JVMs this launcher started: a kill
 * SIGKILLs the node, a freeze SIGSTOPs it, a partition takes its link down (nodes in network
 * namespaces), a slow rewrites its CPU budget (the quota of its control group); a freeze or
 * partition with seconds is undone that long after, on the timer. Each writes its events, and
 * hands the fault's wall-clock instant to {@code faultAt} so that the recovery is timed from it;
 * a slow node is not lost, so nothing is timed from a slow.
 */
final class NodeFaults {
  private final LoopbackCluster cluster;
  private final ScheduledExecutorService timer;
  private final Consumer<RunEvent> events;
  private final LongConsumer faultAt;

  NodeFaults(LoopbackCluster cluster, ScheduledExecutorService timer, Consumer<RunEvent> events,
      LongConsumer faultAt) {
    this.cluster = cluster;
    this.timer = timer;
    this.events = events;
    this.faultAt = faultAt;
  }

  /** Strikes now; a failure is reported on stderr, since a scheduled task would swallow it. */
  void strike(Fault.NodeFault f) {
    try {
      if (f instanceof Fault.Kill k) {
        kill(k);
      } else if (f instanceof Fault.Freeze z) {
        injected(f, cluster.freeze(z.node()));
        later(z.seconds(), () -> events.accept(new RunEvent.NodeThawed(cluster.thaw(z.node()), z.node(),
            cluster.node(z.node()).pid(), z.text())));
      } else if (f instanceof Fault.Partition p) {
        injected(f, cluster.partition(p.node()));
        later(p.seconds(), () -> events.accept(new RunEvent.NodeHealed(cluster.heal(p.node()), p.node(), p.text())));
      } else if (f instanceof Fault.Slow s) {
        long at = cluster.setBudget(s.node(), new CpuBudget(s.cpus()));
        events.accept(new RunEvent.FaultInjected(at, s.text(), s.step()));
      }
    } catch (IOException | RuntimeException e) {
      System.err.println("elaswave: cannot carry out " + f.text() + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void kill(Fault.Kill k) throws InterruptedException {
    NodeProcess node = cluster.node(k.node());
    long pid = node.pid();
    node.kill();
    long killedNanos = node.killedAtNanos().orElse(System.nanoTime());
    long at = System.currentTimeMillis() - (System.nanoTime() - killedNanos) / 1_000_000;
    injected(k, at);
    events.accept(new RunEvent.NodeKilled(at, k.node(), pid, k.step()));
  }

  private void injected(Fault.NodeFault f, long atMillis) {
    faultAt.accept(atMillis);
    events.accept(new RunEvent.FaultInjected(atMillis, f.text(), f.step()));
  }

  /** The undo (thaw, heal) of a fault, {@code seconds} from now; none when 0 (for good). */
  private void later(long seconds, IoAction undo) {
    if (seconds > 0) {
      timer.schedule(() -> {
        try {
          undo.run();
        } catch (IOException | RuntimeException e) {
          System.err.println("elaswave: cannot undo a fault: " + e.getMessage());
        }
      }, seconds, TimeUnit.SECONDS);
    }
  }

  private interface IoAction {
    void run() throws IOException;
  }
}
