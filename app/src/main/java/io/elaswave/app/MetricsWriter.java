package io.elaswave.app;

import io.elaswave.engine.param.Digest;
import io.elaswave.engine.train.StepResult;
import io.elaswave.protocol.runtime.DriverMessage.RankBusy;
import io.elaswave.protocol.runtime.DriverMessage.StepCommitted;
import java.io.Closeable;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;

/**
 * The {@code --metrics} file: JSON Lines, one object per committed step plus one per
 * {@link RunEvent} (eval, checkpoint, resume, done, and the runtime's fault-injected,
 * node-killed, recovered, node-started, node-joined), each stamped {@code atMillis}. Every line is flushed as written so
 * a killed run leaves every committed step on disk.
 */
public final class MetricsWriter implements Closeable {
  private final Writer out;
  private final Path path;

  private MetricsWriter(Writer out, Path path) {
    this.out = out;
    this.path = path;
  }

  /** A writer that drops everything, for runs without {@code --metrics}. */
  public static MetricsWriter none() {
    return new MetricsWriter(Writer.nullWriter(), null);
  }

  /**
   * Opens {@code file}, appending (a resumed run continues its file) or truncating. Callers open
   * it only after all other input is validated, so bad input never clobbers an old file.
   */
  public static MetricsWriter open(Path file, boolean append) {
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

  public void step(StepResult r, long stepNanos, String layout) {
    step(r, stepNanos, layout, java.util.Optional.empty(), java.util.Optional.empty());
  }

  /** The step {@code driver} just committed: its layout, phases and energy where it has them. */
  public void step(StepResult r, long stepNanos, TrainingDriver driver) {
    step(r, stepNanos, driver.layout(), driver.phases(), driver.energyJoules(),
        driver.lastCommit().map(StepCommitted::busy).orElse(List.of()));
  }

  /**
   * One committed step; a runtime step also says where its time went (milliseconds, the slowest
   * rank per phase: see {@link io.elaswave.protocol.runtime.DriverMessage.StepPhases}).
   */
  public void step(StepResult r, long stepNanos, String layout,
      java.util.Optional<io.elaswave.protocol.runtime.DriverMessage.StepPhases> phases,
      java.util.Optional<Double> energyJoules) {
    step(r, stepNanos, layout, phases, energyJoules, List.of());
  }

  /**
   * As above, and each working rank's kernel time in the step, {@code "kernelMillis.r3"}: the
   * samples the scheduler's speed estimate is made from, so a re-plan for speed can be checked
   * against them (equal budgets should read alike).
   */
  void step(StepResult r, long stepNanos, String layout,
      java.util.Optional<io.elaswave.protocol.runtime.DriverMessage.StepPhases> phases,
      java.util.Optional<Double> energyJoules, List<RankBusy> busy) {
    double seconds = Math.max(stepNanos, 1) / 1e9;
    JsonLine line = new JsonLine()
        .field("step", r.step())
        .field("loss", r.loss())
        .field("digest", Digest.hex(r.digest()))
        .field("lr", r.lr())
        .field("gradNorm", r.gradNorm())
        .field("stepMillis", Math.round(stepNanos / 1e6))
        .field("tokensPerSec", Math.round(r.tokens() / seconds * 10) / 10.0);
    if (layout != null) {
      line.field("layout", layout);
    }
    phases.ifPresent(p -> line.field("kernelMillis", round1(p.kernel())).field("computeMillis", round1(p.compute()))
        .field("reduceMillis", round1(p.reduce())).field("updateMillis", round1(p.update()))
        .field("gatherMillis", round1(p.gather())).field("ledgerMillis", round1(p.ledger()))
        .field("gcMillis", round1(p.gc())));
    energyJoules.filter(j -> j > 0).ifPresent(j -> line.field("energyJoules", round1(j))
        .field("joulesPerToken", Math.round(j / Math.max(1, r.tokens()) * 1e5) / 1e5));
    busy.stream().sorted(Comparator.comparingInt(RankBusy::rank))
        .forEach(b -> line.field("kernelMillis.r" + b.rank(), round1(b.busyMillis())));
    write(line);
  }

  private static double round1(double millis) {
    return Math.round(millis * 10) / 10.0;
  }

  void checkpoint(long step, Path dir) {
    event(new RunEvent.Checkpoint(System.currentTimeMillis(), step, display(dir)));
  }

  void resume(long step, Path from) {
    event(new RunEvent.Resume(System.currentTimeMillis(), step, display(from)));
  }

  public void event(RunEvent e) {
    write(e.json());
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
