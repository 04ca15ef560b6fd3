package io.elaswave.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.elaswave.engine.train.StepResult;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressReporterTest {
  private static final long MS = 1_000_000L;

  @Test
  void formatsDurations() {
    assertEquals("0.4s", ProgressReporter.duration(400 * MS));
    assertEquals("42s", ProgressReporter.duration(42_000 * MS));
    assertEquals("3m41s", ProgressReporter.duration(221_000 * MS));
    assertEquals("2h05m", ProgressReporter.duration((2 * 3600 + 5 * 60) * 1000 * MS));
  }

  @Test
  void printsEveryStepOfAShortRun() {
    AtomicLong clock = new AtomicLong();
    StringWriter text = new StringWriter();
    ProgressReporter p = new ProgressReporter(new PrintWriter(text), clock::get, 0, 2);
    clock.addAndGet(100 * MS);
    p.step(new StepResult(1, 2.8123457f, 0L, 0.0018f, 1.0, 256), 100 * MS);
    clock.addAndGet(100 * MS);
    p.step(new StepResult(2, 2.5f, 0L, 0.0018f, 1.0, 256), 100 * MS);
    assertEquals("step 1/2  loss 2.8123  lr 1.80e-03  2560 tok/s  ETA 0.1s\n"
        + "step 2/2  loss 2.5000  lr 1.80e-03  2560 tok/s  ETA 0.0s\n", text.toString());
  }

  @Test
  void throttlesLongRunsToAboutOneLinePerSecond() {
    AtomicLong clock = new AtomicLong();
    StringWriter text = new StringWriter();
    ProgressReporter p = new ProgressReporter(new PrintWriter(text), clock::get, 0, 1000);
    for (int s = 1; s <= 1000; s++) {
      clock.addAndGet(100 * MS);
      p.step(new StepResult(s, 2f, 0L, 1e-3f, 1.0, 256), 100 * MS);
    }
    // The first step, every 10th step (one per simulated second) and the last.
    assertEquals(1 + 100, text.toString().lines().count());
  }
}
