package io.elaswave.app.launch;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The command line that starts a spec's child JVM with the same {@code java} as this one. */
final class JavaCommand {
  private JavaCommand() {}

  static List<String> of(NodeProcessSpec spec, long launcherPid) {
    List<String> command = new ArrayList<>(spec.commandPrefix());
    command.add(javaBinary());
    command.addAll(spec.jvmOptions());
    // After the caller's options, so that nothing overrides it: ChildGuard arms only with it.
    command.add("-D" + ChildGuard.LAUNCHER_PID_PROPERTY + "=" + launcherPid);
    command.add("-cp");
    command.add(spec.classpath());
    command.add(spec.mainClass());
    command.addAll(spec.args());
    return List.copyOf(command);
  }

  /** The running JVM's executable; {@code info().command()} may be empty in some containers. */
  static String javaBinary() {
    return ProcessHandle.current()
        .info()
        .command()
        .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }
}
