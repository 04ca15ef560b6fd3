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
 */
public record NodeProcessSpec(
    String name,
    String mainClass,
    List<String> args,
    List<String> jvmOptions,
    String classpath,
    Path logFile,
    String readyMarker) {

  public static final String DEFAULT_READY_MARKER = "READY";

  public NodeProcessSpec {
    requireText(name, "name");
    requireText(mainClass, "mainClass");
    args = List.copyOf(args);
    jvmOptions = List.copyOf(jvmOptions);
    requireText(classpath, "classpath");
    Objects.requireNonNull(logFile, "logFile");
    requireText(readyMarker, "readyMarker");
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
        DEFAULT_READY_MARKER);
  }

  public NodeProcessSpec withArgs(List<String> newArgs) {
    return new NodeProcessSpec(
        name, mainClass, newArgs, jvmOptions, classpath, logFile, readyMarker);
  }

  public NodeProcessSpec withArgs(String... newArgs) {
    return withArgs(List.of(newArgs));
  }

  public NodeProcessSpec withJvmOptions(List<String> options) {
    return new NodeProcessSpec(name, mainClass, args, options, classpath, logFile, readyMarker);
  }

  public NodeProcessSpec withJvmOptions(String... options) {
    return withJvmOptions(List.of(options));
  }

  public NodeProcessSpec withClasspath(String newClasspath) {
    return new NodeProcessSpec(
        name, mainClass, args, jvmOptions, newClasspath, logFile, readyMarker);
  }

  public NodeProcessSpec withLogFile(Path newLogFile) {
    return new NodeProcessSpec(
        name, mainClass, args, jvmOptions, classpath, newLogFile, readyMarker);
  }

  public NodeProcessSpec withReadyMarker(String marker) {
    return new NodeProcessSpec(name, mainClass, args, jvmOptions, classpath, logFile, marker);
  }

  private static void requireText(String value, String what) {
    Objects.requireNonNull(value, what);
    if (value.isBlank()) {
      throw new IllegalArgumentException(what + " must not be blank");
    }
  }
}
