package io.elaswave.app;

import io.elaswave.engine.data.CharVocab;
import io.elaswave.engine.model.Model;
import io.elaswave.engine.train.Checkpoint;
import io.elaswave.engine.train.TextSampler;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code elaswave sample}: prints the prompt and generated text to stdout, nothing else. */
@Command(
    name = "sample",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    description = "Generate text from a checkpoint. The same checkpoint, prompt and seed give the same text.",
    footer = {"", "Exit status: 0 done, 1 failed while running, 2 bad input (flag, value, or unreadable checkpoint)."})
final class SampleCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Option(names = "--checkpoint", required = true, paramLabel = "DIR",
      description = "A step-NNNNNN directory, or a checkpoint dir with a 'latest' file.")
  private Path checkpoint;

  @Option(names = "--prompt", paramLabel = "TEXT", defaultValue = "",
      description = "Text to continue; printed before the generated text (default: none).")
  private String prompt;

  @Option(names = "--tokens", paramLabel = "N", defaultValue = "500",
      description = "Characters to generate (default: ${DEFAULT-VALUE}).")
  private int tokens;

  @Option(names = "--temperature", paramLabel = "T", defaultValue = "0.8",
      description = "Sampling temperature; 0 picks the most likely character (default: ${DEFAULT-VALUE}).")
  private float temperature;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "1337",
      description = "Sampling seed (default: ${DEFAULT-VALUE}).")
  private long seed;

  @Override
  public Integer call() {
    if (tokens < 0) {
      throw flagError("--tokens must be >= 0");
    }
    if (!(temperature >= 0f) || !Float.isFinite(temperature)) {
      throw flagError("--temperature must be a number >= 0");
    }
    Checkpoint ck = CheckpointInput.read(checkpoint, "--checkpoint");
    CharVocab vocab = CheckpointInput.vocab(ck);
    try {
      vocab.encode(prompt);
    } catch (IllegalArgumentException e) {
      throw flagError("--prompt: " + e.getMessage());
    }
    Model model = CheckpointInput.model(ck, checkpoint, "--checkpoint");
    String text = new TextSampler(model, ck.state().params(), vocab).generate(prompt, tokens, temperature, seed);
    PrintWriter out = spec.commandLine().getOut();
    out.print(text);
    out.print('\n');
    out.flush();
    return Main.EXIT_OK;
  }

  private ParameterException flagError(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
