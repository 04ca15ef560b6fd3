package io.elaswave.actors.scheduler;

import io.elaswave.planner.Layout;
import io.elaswave.planner.NodeId;
import io.elaswave.planner.RankId;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Where the job is. Starting: Placing (ranks being spawned), Adopting (ranks taking the first
 * layout and storing their step-0 snapshots), Loading (a checkpoint being delivered). Running:
 * Idle between steps, Stepping inside a step transaction, Changing while ranks move to a new
 * layout, Joining while a new node spawns its ranks, TakingOver while a new scheduler waits for
 * the live nodes to report after a fail-over, Halted when the journal is gone for good. Each phase carries what only it needs.
 */
sealed interface JobPhase {
  /** The job trains (or is about to resume training) rather than still starting. */
  default boolean running() {
    return !(this instanceof Placing || this instanceof Adopting || this instanceof Loading);
  }

  /** SpawnRanks went to these nodes; RanksSpawned is awaited from each. */
  record Placing(Set<NodeId> pendingNodes) implements JobPhase {
    Placing without(NodeId node) {
      Set<NodeId> rest = new HashSet<>(pendingNodes);
      rest.remove(node);
      return new Placing(Set.copyOf(rest));
    }
  }

  /** AdoptLayout went to every rank; Reconfigured (first layout, step-0 snapshot stored) is awaited. */
  record Adopting(Set<RankId> pending) implements JobPhase {
    Adopting without(RankId rank) {
      Set<RankId> rest = new HashSet<>(pending);
      rest.remove(rank);
      return new Adopting(Set.copyOf(rest));
    }
  }

  /** LoadState messages of a checkpoint are out; this many StateLoaded answers are awaited. */
  record Loading(int remaining) implements JobPhase {}

  /** Between steps. */
  record Idle() implements JobPhase {}

  /** Step {@code tx.step} runs under the job's layout. */
  record Stepping(StepTransaction tx) implements JobPhase {}

  /** Ranks move to {@code change.next()}; the job's layout is still the committed one. */
  record Changing(Change change) implements JobPhase {}

  /** Every rank took {@code change.next()}; the ledger is recording that it is installed. */
  record Installing(Change change) implements JobPhase {}

  /** A node heard from between steps spawns ranks for a scale-up. */
  record Joining(NodeId node) implements JobPhase {}

  /**
   * The ledger's journal stayed unreachable past its limit: nothing more is stepped, changed or
   * committed; the ranks hold the state after {@code step}, to be collected before the job stops.
   */
  record Halted(long step, String reason) implements JobPhase {}

  /** This scheduler took the job over from the ledger and waits for the live nodes' heartbeats. */
  record TakingOver(long sinceMillis) implements JobPhase {}

  /**
   * A re-planning under way: its cause, the next layout, the ranks that have not taken it yet,
   * the nodes and ranks it is about, the step it abandoned (or -1), and when (the scheduler's
   * wall clock) the fault was first observable and when it was decided on.
   */
  record Change(String cause, Layout next, Set<RankId> awaiting, List<NodeId> nodes, List<RankId> ranks,
      long abandonedStep, long faultAtMillis, long detectedAtMillis) {
    public Change {
      awaiting = Set.copyOf(awaiting);
      nodes = List.copyOf(nodes);
      ranks = List.copyOf(ranks);
    }

    Change without(RankId rank) {
      Set<RankId> rest = new HashSet<>(awaiting);
      rest.remove(rank);
      return new Change(cause, next, rest, nodes, ranks, abandonedStep, faultAtMillis, detectedAtMillis);
    }
  }
}
