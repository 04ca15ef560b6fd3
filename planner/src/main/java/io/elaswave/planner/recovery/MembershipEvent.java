package io.elaswave.planner.recovery;

import io.elaswave.planner.RankId;
import io.elaswave.planner.RankInfo;
import java.util.List;
import java.util.Set;

/** What happened to the job's membership, as a policy sees it. */
public sealed interface MembershipEvent {
  /** The epoch the next layout carries (a change replaced mid-way skips the epoch it used). */
  long nextEpoch();

  /**
   * These ranks are gone (their node died, they failed or they stopped answering). None may be
   * gone: a scheduler that took a job over moves every rank to a fresh epoch all the same, so a
   * step its predecessor left half-done is rolled back everywhere.
   */
  record RanksLost(Set<RankId> lost, long nextEpoch) implements MembershipEvent {
    public RanksLost {
      lost = Set.copyOf(lost);
    }
  }

  /** These ranks joined; replicas are restored to {@code depth} stages before new ones form. */
  record RanksJoined(List<RankInfo> joined, int depth, long nextEpoch) implements MembershipEvent {
    public RanksJoined {
      if (joined.isEmpty()) {
        throw new IllegalArgumentException("a join names at least one rank");
      }
      joined = List.copyOf(joined);
    }
  }

  /**
   * Nobody came or went, but measured speeds moved ({@code cause}: {@code slow} when a rank fell
   * well behind its peers, {@code speed-recovered} when a slow rank is fast again,
   * {@code speeds-changed} otherwise); {@code why} says which and by how much.
   */
  record SpeedsChanged(String cause, String why, long nextEpoch) implements MembershipEvent {}
}
