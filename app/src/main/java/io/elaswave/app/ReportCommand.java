package io.elaswave.app;

import io.elaswave.app.report.RunReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code elaswave report}: one self-contained HTML page of charts from metrics files and a bench result. */
@Command(name = "report", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = {"Write one self-contained HTML page (charts inline, no network needed): loss per step, loss"
        + " deviation from a reference, tokens/s against time with faults and recoveries marked, the recovery-time"
        + " breakdown, and a bench policies table and chart."},
    footer = {"", "Exit status: 0 written, 2 bad input (a missing or unreadable file)."})
final class ReportCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Parameters(paramLabel = "METRICS.jsonl", arity = "1..*", description = "Metrics files (train --metrics).")
  private List<Path> metrics;

  @Option(names = "--reference", paramLabel = "REF.jsonl", description = "The reference run's metrics file.")
  private Path reference;

  @Option(names = "--bench", paramLabel = "BENCH.json", description = "A bench policies result.")
  private Path bench;

  @Option(names = "--out", paramLabel = "FILE", required = true, description = "The HTML file to write.")
  private Path out;

  @Override public Integer call() {
    for (Path p : inputs()) {
      if (!Files.isReadable(p) || Files.isDirectory(p)) {
        throw new InputException("cannot read " + p);
      }
    }
    try {
      new RunReport(metrics, Optional.ofNullable(reference), Optional.ofNullable(bench)).write(out);
    } catch (IOException e) {
      throw new InputException(e.getMessage());
    }
    spec.commandLine().getOut().println("wrote " + out);
    return Main.EXIT_OK;
  }

  private List<Path> inputs() {
    List<Path> all = new java.util.ArrayList<>(metrics);
    if (reference != null) {
      all.add(reference);
    }
    if (bench != null) {
      all.add(bench);
    }
    return all;
  }
}
