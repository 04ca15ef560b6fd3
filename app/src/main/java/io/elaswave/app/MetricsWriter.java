package io.elaswave.app;

import io.elaswave.engine.param.Digest;
import io.elaswave.engine.train.StepResult;
import java.io.Closeable;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The {@code --metrics} file: JSON Lines, one object per committed step plus {@code eval},
 * {@code checkpoint}, {@code resume} and {@code done} events. Every line is flushed as written so
 * a killed run leaves every committed step on disk.
 */
final class MetricsWriter implements Closeable {
  private final Writer out;
  private final Path path;

  private MetricsWriter(Writer out, Path path) {
    this.out = out;
    this.path = path;
  }

  /** A writer that drops everything, for runs without {@code --metrics}. */
  static MetricsWriter none() {
    return new MetricsWriter(Writer.nullWriter(), null);
  }

  /**
   * Opens {@code file}, appending (a resumed run continues its file) or truncating. Callers open
   * it only after all other input is validated, so bad input never clobbers an old file.
   */
  static MetricsWriter open(Path file, boolean append) {
    try {
      boolean fixTail = append && endsMidLine(file);
      Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.WRITE, append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);
      if (fixTail) {
        w.write('\n'); // a run killed mid-line must not glue its fragment onto our first object
      }
      return new MetricsWriter(w, file);
    } catch (IOException e) {
      throw new InputException("cannot open metrics file " + file + ": " + e.getMessage(), e);
    }
  }

  void step(StepResult r, long stepNanos, String layout) {
    double seconds = Math.max(stepNanos, 1) / 1e9;
    JsonLine line = new JsonLine()
        .field("step", r.step())
        .field("loss", r.loss())
        .field("digest", Digest.hex(r.digest()))
        .field("lr", r.lr())
        .field("gradNorm", r.gradNorm())
        .field("stepMillis", Math.round(stepNanos / 1e6))
        .field("tokensPerSec", Math.round(r.tokens() / seconds * 10) / 10.0);
    write(layout == null ? line : line.field("layout", layout));
  }

  void eval(long step, float valLoss) {
    write(new JsonLine().field("event", "eval").field("step", step).field("valLoss", valLoss));
  }

  void checkpoint(long step, Path dir) {
    write(new JsonLine().field("event", "checkpoint").field("step", step).field("path", display(dir)));
  }

  void resume(long step, Path from) {
    write(new JsonLine().field("event", "resume").field("step", step).field("from", display(from)));
  }

  void event(RunEvent e) {
    JsonLine line = new JsonLine().field("event", e.name());
    e.fields().forEach((k, v) -> {
      if (v instanceof Long || v instanceof Integer) {
        line.field(k, ((Number) v).longValue());
      } else if (v instanceof Number n) {
        line.field(k, n.doubleValue());
      } else {
        line.field(k, String.valueOf(v));
      }
    });
    write(line);
  }

  void done(RunSummary s) {
    write(new JsonLine()
        .field("event", "done")
        .field("steps", s.lastStep())
        .field("loss", s.loss())
        .field("valLoss", s.valLoss())
        .field("seconds", Math.round(s.seconds() * 1000) / 1000.0)
        .field("digest", Digest.hex(s.digest())));
  }

  @Override
  public void close() {
    try {
      out.close();
    } catch (IOException e) {
      throw failure(e);
    }
  }

  /** Paths are written absolute so the file still makes sense when read from elsewhere. */
  static String display(Path p) {
    return p.toAbsolutePath().normalize().toString();
  }

  private void write(JsonLine line) {
    try {
      out.write(line.toString());
      out.write('\n');
      out.flush();
    } catch (IOException e) {
      throw failure(e);
    }
  }

  private UncheckedIOException failure(IOException e) {
    return new UncheckedIOException("cannot write metrics file " + path + ": " + e.getMessage(), e);
  }

  private static boolean endsMidLine(Path file) throws IOException {
    if (!Files.isRegularFile(file) || Files.size(file) == 0) {
      return false;
    }
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      f.seek(f.length() - 1);
      return f.read() != '\n';
    }
  }
}
