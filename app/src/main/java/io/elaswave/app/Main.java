package io.elaswave.app;

import io.elaswave.app.demo.DemoCommand;
import io.elaswave.engine.train.CheckpointException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * The {@code elaswave} entry point: builds the command line and maps outcomes to exit statuses.
 * {@link #run} returns the status instead of exiting, so tests drive the real CLI in-process.
 */
@Command(
    name = "elaswave",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Deterministic, bit-reproducible transformer training on the JVM.",
    subcommands = {TrainCommand.class, NodeCommand.class, SampleCommand.class, BenchCommand.class, DemoCommand.class,
        CertsCommand.class, StatusCommand.class, SimulateCommand.class,
        ReportCommand.class,
        HelpCommand.class},
    footer = {"", "Exit status: 0 done, 1 failed while running, 2 bad input, 3 node downed by the cluster."})
public final class Main implements Callable<Integer> {
  public static final int EXIT_OK = 0;
  /** The run failed after its inputs were accepted: an I/O error, a bug. */
  public static final int EXIT_FAILURE = 1;
  /** Bad input: unknown flag, bad value, unusable checkpoint. Nothing was written. */
  public static final int EXIT_USAGE = 2;
  /** A node the cluster downed (it must not rejoin with stale state). */
  public static final int EXIT_DOWNED = 3;

  @Spec private CommandSpec spec;

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    System.exit(run(out, err, args));
  }

  /** Runs the CLI with the given streams and returns its exit status. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cmd = new CommandLine(new Main())
        .setOut(out)
        .setErr(err)
        .setParameterExceptionHandler(Main::usageError)
        .setExecutionExceptionHandler(Main::failure);
    int status = cmd.execute(args);
    out.flush();
    err.flush();
    return status;
  }

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "missing command: train or sample");
  }

  /** Flag errors from parsing or from validation in a command: one line, a hint, status 2. */
  private static int usageError(ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    PrintWriter err = cmd.getErr();
    err.println("elaswave: " + oneLine(e.getMessage()));
    err.println("try '" + cmd.getCommandSpec().qualifiedName() + " --help'");
    err.flush();
    return EXIT_USAGE;
  }

  private static int failure(Exception e, CommandLine cmd, ParseResult parsed) {
    PrintWriter err = cmd.getErr();
    int status;
    if (e instanceof InputException) {
      err.println("elaswave: " + oneLine(e.getMessage()));
      status = EXIT_USAGE;
    } else if (e instanceof UncheckedIOException || e instanceof CheckpointException
        || e instanceof io.elaswave.actors.client.JobException || e instanceof BudgetedRun.StartFailed) {
      // Environment trouble while running (disk full, permissions, a journal gone), or the
      // cluster's refusal: the message says it all.
      err.println("elaswave: " + oneLine(e.getMessage()));
      status = EXIT_FAILURE;
    } else {
      err.println("elaswave: unexpected error: " + e);
      e.printStackTrace(err);
      status = EXIT_FAILURE;
    }
    err.flush();
    return status;
  }

  private static String oneLine(String message) {
    return message == null ? "(no message)" : message.strip().replaceAll("\\s*\\R\\s*", "; ");
  }
}
