package io.elaswave.actors.group;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Tensor traffic a rank sends, counted by the rank and its local communicator groups (all on one
 * JVM), read and reset once per step for the step's report.
 */
public final class TrafficCounter {
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicLong messages = new AtomicLong();
  private final AtomicLong staleDropped = new AtomicLong();
  private final AtomicLong snapshotBytes = new AtomicLong();

  public void sent(int floats) {
    bytes.addAndGet(4L * floats);
    messages.incrementAndGet();
  }

  /** Snapshot replication to the buddy, kept apart from the step's collective traffic. */
  public void snapshot(int floats) {
    snapshotBytes.addAndGet(4L * floats);
  }

  public void droppedStale() {
    staleDropped.incrementAndGet();
  }

  /** Returns {bytes, messages, staleDropped, snapshotBytes} since the last call and counts afresh. */
  public long[] drain() {
    return new long[] {bytes.getAndSet(0), messages.getAndSet(0), staleDropped.getAndSet(0),
        snapshotBytes.getAndSet(0)};
  }
}
