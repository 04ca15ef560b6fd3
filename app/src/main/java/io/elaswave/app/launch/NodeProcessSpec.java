package io.elaswave.app.launch;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What to run as one child JVM: {@code java <jvmOptions> -cp <classpath> <mainClass> <args>}.
 *
 * @param name unique within a {@link LocalCluster}, e.g. {@code node-1}; used in thread names and
 *     messages
 * @param mainClass fully qualified class whose {@code main} the child runs
 * @param args program arguments
 * @param jvmOptions options before the main class, e.g. {@code --add-modules
 *     jdk.incubator.vector -Xmx512m -XX:+UseSerialGC -XX:MaxDirectMemorySize=256m}
 * @param classpath the child's class path; {@link #of} uses this JVM's {@code java.class.path}
 * @param logFile receives every line the child writes to stdout or stderr (truncated at start)
 * @param readyMarker the child is ready at its first output line starting with this
 * @param commandPrefix runs before {@code java}, e.g. {@code ip netns exec ns}; it must exec the
 *     JVM (same pid), so that signals and the child's guard reach the JVM itself
 */
public record NodeProcessSpec(
    String name,
    String mainClass,
    List<String> args,
    List<String> jvmOptions,
    String classpath,
    Path logFile,
    String readyMarker,
    List<String> commandPrefix) {

  public static final String DEFAULT_READY_MARKER = "READY";

  public NodeProcessSpec {
    requireText(name, "name");
    requireText(mainClass, "mainClass");
    args = List.copyOf(args);
    jvmOptions = List.copyOf(jvmOptions);
    requireText(classpath, "classpath");
    Objects.requireNonNull(logFile, "logFile");
    requireText(readyMarker, "readyMarker");
    commandPrefix = List.copyOf(commandPrefix);
  }

  /** No arguments or JVM options, this JVM's class path, and the {@code READY} marker. */
  public static NodeProcessSpec of(String name, String mainClass, Path logFile) {
    return new NodeProcessSpec(
        name,
        mainClass,
        List.of(),
        List.of(),
        System.getProperty("java.class.path"),
        logFile,
        DEFAULT_READY_MARKER,
        List.of());
  }

  public NodeProcessSpec withArgs(List<String> newArgs) {
    return new NodeProcessSpec(
        name, mainClass, newArgs, jvmOptions, classpath, logFile, readyMarker, commandPrefix);
  }

  public NodeProcessSpec withArgs(String... newArgs) {
    return withArgs(List.of(newArgs));
  }

  public NodeProcessSpec withJvmOptions(List<String> options) {
    return new NodeProcessSpec(name, mainClass, args, options, classpath, logFile, readyMarker, commandPrefix);
  }

  public NodeProcessSpec withJvmOptions(String... options) {
    return withJvmOptions(List.of(options));
  }

  public NodeProcessSpec withClasspath(String newClasspath) {
    return new NodeProcessSpec(
        name, mainClass, args, jvmOptions, newClasspath, logFile, readyMarker, commandPrefix);
  }

  public NodeProcessSpec withLogFile(Path newLogFile) {
    return new NodeProcessSpec(
        name, mainClass, args, jvmOptions, classpath, newLogFile, readyMarker, commandPrefix);
  }

  public NodeProcessSpec withReadyMarker(String marker) {
    return new NodeProcessSpec(name, mainClass, args, jvmOptions, classpath, logFile, marker, commandPrefix);
  }

  /** Runs the JVM through {@code prefix}, e.g. {@code ip netns exec ns}, which must exec it. */
  public NodeProcessSpec withCommandPrefix(List<String> prefix) {
    return new NodeProcessSpec(name, mainClass, args, jvmOptions, classpath, logFile, readyMarker, prefix);
  }

  private static void requireText(String value, String what) {
    Objects.requireNonNull(value, what);
    if (value.isBlank()) {
      throw new IllegalArgumentException(what + " must not be blank");
    }
  }
}
