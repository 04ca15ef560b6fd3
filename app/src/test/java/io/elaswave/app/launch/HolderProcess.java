package io.elaswave.app.launch;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A child JVM that sets something up (a lab, a control group) and reports it in one line, to be SIGKILLed. */
final class HolderProcess {
  private HolderProcess() {}

  /** Starts {@code main} with the test classpath, no stdin, output merged. */
  static Process start(Class<?> main, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(JavaCommand.javaBinary()));
    command.addAll(EchoNode.FAST_JVM);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectErrorStream(true)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
  }

  /** The first output line starting with {@code prefix}; fails, with what it printed, if the holder died first. */
  static String awaitLine(Process holder, String prefix, String what) throws IOException {
    BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
    String line;
    StringBuilder seen = new StringBuilder();
    while ((line = out.readLine()) != null && !line.startsWith(prefix)) {
      seen.append(line).append('\n');
    }
    assertTrue(line != null, "the holder died before " + what + ":\n" + seen);
    return line;
  }
}
