package io.elaswave.app.demo;

import io.elaswave.app.RunEvent;
import io.elaswave.app.TrainingDriver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Polls a driver's {@link TrainingDriver#drainEvents() events} every few milliseconds while a
 * step runs, so each is stamped close to when it happened (a kill lands half-way through a step;
 * a joining node is up before its step is requested).
 */
final class DemoEvents implements AutoCloseable {
  private static final long POLL_MILLIS = 5;

  /** An event and the {@link System#nanoTime()} at which it was first seen. */
  record Seen(long at, RunEvent event) {}

  private final TrainingDriver driver;
  private final List<Seen> seen = new ArrayList<>();
  private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "elaswave-demo-events");
    t.setDaemon(true);
    return t;
  });

  DemoEvents(TrainingDriver driver) {
    this.driver = driver;
    poller.scheduleWithFixedDelay(this::poll, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
  }

  private void poll() {
    synchronized (seen) { // drain and record as one, so take() never misses an event in between
      try {
        List<RunEvent> events = driver.drainEvents();
        long now = System.nanoTime();
        events.forEach(e -> seen.add(new Seen(now, e)));
      } catch (RuntimeException e) {
        // a driver going away mid-poll: take() reports whatever was seen
      }
    }
  }

  /** Every event seen since the last call, after one last poll, in the order they were seen. */
  List<Seen> take() {
    poll();
    synchronized (seen) {
      List<Seen> out = List.copyOf(seen);
      seen.clear();
      return out;
    }
  }

  @Override public void close() {
    poller.shutdownNow();
    try {
      poller.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
