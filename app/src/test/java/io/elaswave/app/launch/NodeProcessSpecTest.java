package io.elaswave.app.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeProcessSpecTest {
  private static final Path LOG = Path.of("node-1.log");

  @Test
  void ofUsesThisClassPathAndTheReadyMarker() {
    NodeProcessSpec spec = NodeProcessSpec.of("node-1", "a.Main", LOG);

    assertEquals(System.getProperty("java.class.path"), spec.classpath());
    assertEquals("READY", spec.readyMarker());
    assertEquals(List.of(), spec.args());
    assertEquals(List.of(), spec.jvmOptions());
  }

  @Test
  void listsAreCopied() {
    List<String> args = new ArrayList<>(List.of("x"));
    NodeProcessSpec spec = NodeProcessSpec.of("node-1", "a.Main", LOG).withArgs(args);
    args.add("y");

    assertEquals(List.of("x"), spec.args());
    assertThrows(UnsupportedOperationException.class, () -> spec.args().add("z"));
  }

  @Test
  void blankFieldsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> NodeProcessSpec.of(" ", "a.Main", LOG));
    assertThrows(
        IllegalArgumentException.class,
        () -> NodeProcessSpec.of("node-1", "a.Main", LOG).withReadyMarker(""));
    assertThrows(NullPointerException.class, () -> NodeProcessSpec.of("node-1", "a.Main", null));
  }

  @Test
  void commandPutsOptionsThenLauncherPidThenClassPathMainAndArgs() {
    NodeProcessSpec spec =
        NodeProcessSpec.of("node-1", "a.Main", LOG)
            .withJvmOptions("-Xmx64m", "-Dk=v")
            .withClasspath("cp.jar")
            .withArgs("--port", "25520");

    List<String> command = JavaCommand.of(spec, 42);

    assertEquals(JavaCommand.javaBinary(), command.get(0));
    assertEquals(
        List.of(
            "-Xmx64m",
            "-Dk=v",
            "-Delaswave.launcher.pid=42",
            "-cp",
            "cp.jar",
            "a.Main",
            "--port",
            "25520"),
        command.subList(1, command.size()));
  }
}
