package io.elaswave.app.launch;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Reads a child's merged output line by line until end-of-file, on its own daemon thread. It must
 * never stop early: a child whose pipe nobody drains blocks as soon as the pipe buffer is full. So
 * a failing log write or listener is noted and the pump carries on.
 */
final class OutputPump implements Runnable {
  static final int TAIL_LINES = 20;

  private final InputStream in;
  private Writer log;
  private final Consumer<String> listener;
  private final String readyMarker;
  private final Deque<String> tail = new ArrayDeque<>(TAIL_LINES);
  private final CompletableFuture<String> ready = new CompletableFuture<>();
  private final CompletableFuture<Void> done = new CompletableFuture<>();

  /** Takes ownership of {@code log} and closes it at end-of-file. */
  OutputPump(InputStream in, Writer log, Consumer<String> listener, String readyMarker) {
    this.in = in;
    this.log = log;
    this.listener = listener;
    this.readyMarker = readyMarker;
  }

  Thread start(String threadName) {
    Thread thread = new Thread(this, threadName);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  @Override
  public void run() {
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        accept(line);
      }
    } catch (IOException e) {
      // The stream is closed under us only when the process is torn down; nothing left to read.
      note("[launcher] output stream failed: " + e);
    } finally {
      closeLog();
      done.complete(null);
    }
  }

  /** Completes with the first line that starts with the ready marker. */
  CompletableFuture<String> ready() {
    return ready;
  }

  /** Completes when the child's output reached end-of-file and the log file is closed. */
  CompletableFuture<Void> done() {
    return done;
  }

  /** The last {@value #TAIL_LINES} lines, oldest first. */
  List<String> tail() {
    synchronized (tail) {
      return List.copyOf(tail);
    }
  }

  private void accept(String line) {
    remember(line);
    writeLog(line);
    if (!ready.isDone() && line.startsWith(readyMarker)) {
      ready.complete(line);
    }
    try {
      listener.accept(line);
    } catch (RuntimeException e) {
      writeLog("[launcher] output listener failed: " + e);
    }
  }

  private void note(String line) {
    remember(line);
    writeLog(line);
  }

  private void remember(String line) {
    synchronized (tail) {
      if (tail.size() == TAIL_LINES) {
        tail.removeFirst();
      }
      tail.addLast(line);
    }
  }

  /** Flushed per line so the log is complete up to the moment the launcher itself dies. */
  private void writeLog(String line) {
    if (log == null) {
      return;
    }
    try {
      log.write(line);
      log.write('\n');
      log.flush();
    } catch (IOException e) {
      remember("[launcher] log file write failed, no more lines are logged: " + e);
      closeLog();
    }
  }

  private void closeLog() {
    if (log == null) {
      return;
    }
    try {
      log.close();
    } catch (IOException e) {
      remember("[launcher] log file close failed: " + e);
    }
    log = null;
  }
}
