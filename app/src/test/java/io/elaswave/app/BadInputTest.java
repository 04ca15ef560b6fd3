package io.elaswave.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad input exits with status 2, says what is wrong in one line and leaves old files alone. */
class BadInputTest {
  private static final String OLD_METRICS = "{\"step\":1,\"from\":\"an earlier run\"}\n";
  private static final FileTime OLD_TIME = FileTime.fromMillis(1_000_000_000_000L);

  @TempDir static Path shared;
  @TempDir Path dir;
  private Path metrics;

  @BeforeAll
  static void checkpoint() {
    Cli.ok("train", "--reference", "--model", "tiny", "--steps", "2", "--checkpoint-dir", shared.resolve("ck").toString());
  }

  @BeforeEach
  void oldMetricsFile() throws Exception {
    metrics = dir.resolve("m.jsonl");
    Files.writeString(metrics, OLD_METRICS);
    Files.setLastModifiedTime(metrics, OLD_TIME);
  }

  static Stream<Arguments> badFlags() {
    return Stream.of(
        Arguments.of(List.of("--steps", "-1"), "--steps"),
        Arguments.of(List.of("--steps", "abc"), "--steps"),
        Arguments.of(List.of("--model", "huge"), "--model"),
        Arguments.of(List.of("--lr", "0"), "--lr"),
        Arguments.of(List.of("--micro-batches", "0"), "--micro-batches"),
        Arguments.of(List.of("--eval-every", "-2"), "--eval-every"),
        Arguments.of(List.of("--checkpoint-every", "2"), "--checkpoint-every"),
        Arguments.of(List.of("--no-such-flag"), "--no-such-flag"));
  }

  @ParameterizedTest
  @MethodSource("badFlags")
  void badFlagExitsTwoAndNamesTheFlag(List<String> flags, String named) throws Exception {
    List<String> args = new ArrayList<>(List.of("train", "--reference", "--model", "tiny", "--metrics",
        metrics.toString()));
    args.addAll(flags);
    Cli.Result r = Cli.run(args.toArray(String[]::new));
    assertEquals(2, r.status(), r.err());
    String[] lines = r.err().split("\n");
    assertTrue(lines[0].startsWith("elaswave: ") && lines[0].contains(named), r.err());
    assertTrue(lines.length <= 2, r.err());
    assertEquals("", r.out());
    assertUntouched();
  }

  @Test
  void anUnknownPolicyNamesTheChoices() {
    Cli.Result r = Cli.run("train", "--model", "tiny", "--policy", "ft");
    assertEquals(2, r.status(), r.err());
    assertEquals("elaswave: --policy: unknown policy 'ft', choose one of elaswave, torchft, recycle, restart",
        r.err().lines().findFirst().orElse(""));
  }

  @Test
  void badPolicyBenchAndReportInputIsRefusedInOneLine() throws Exception {
    for (String[] args : new String[][] {{"bench", "policies", "--scenario", "flood"},
        {"bench", "policies", "--policies", "elaswave,nope"}, {"bench", "policies", "--fault-at", "3"},
        {"bench", "policies", "--cpus", "0"}, {"report", dir.resolve("absent.jsonl").toString(), "--out",
            dir.resolve("r.html").toString()},
        {"report", metrics.toString(), "--out", dir.resolve("r.html").toString()}}) {
      Cli.Result r = Cli.run(args);
      assertEquals(2, r.status(), String.join(" ", args) + ": " + r.err());
      assertTrue(r.err().startsWith("elaswave: ") && r.err().strip().lines().count() == 1, r.err());
      assertTrue(Files.notExists(dir.resolve("r.html")), "nothing is half-written");
    }
  }

  @Test
  void badFrequencyBenchInputAndAFrequencyForTheReferenceAreRefusedInOneLine() throws Exception {
    for (String[] args : new String[][] {{"bench", "frequency", "--pp", "1"}, {"bench", "frequency", "--phase-steps",
        "2"}, {"bench", "frequency", "--cpus", "0"}, {"bench", "frequency", "--model", "huge"},
        {"bench", "frequency", "--cpus", "node-1=0.3"}, {"bench", "slow", "--slow-cpus", "0"}, {"train", "--reference", "--model", "tiny", "--frequency",
        "energy"}}) {
      Cli.Result r = Cli.run(args);
      assertEquals(2, r.status(), String.join(" ", args) + ": " + r.err());
      // one line; a flag error may add the usage hint
      assertTrue(r.err().startsWith("elaswave: ") && r.err().strip().lines().skip(1).allMatch(l -> l.startsWith("try ")),
          r.err());
    }
    assertUntouched();
  }

  @Test
  void aBadWarmUpIsRefusedBeforeTheNodeJoinsAnything() throws Exception {
    for (String[] args : new String[][] {{"node", "--seed", "127.0.0.1:1", "--warm-model", "huge"},
        {"node", "--seed", "127.0.0.1:1", "--warm-model", "tiny", "--warm-steps", "0"},
        {"bench", "elastic", "--scheduler-kills", "-1"}, {"bench", "elastic", "--snapshot-rounds", "0"},
        {"bench", "elastic", "--migration-rounds", "0"}, {"bench", "elastic", "--phases", "migrations"}}) {
      Cli.Result r = Cli.run(args);
      assertEquals(2, r.status(), String.join(" ", args) + ": " + r.err());
      assertTrue(r.err().startsWith("elaswave: ") && r.err().strip().lines().count() == 1, r.err());
    }
  }

  @Test
  void runtimeFlagsAreRejectedWithTheReferenceTrainer() throws Exception {
    Cli.Result r = Cli.run("train", "--reference", "--model", "tiny", "--dp", "2", "--metrics", metrics.toString());
    assertEquals(2, r.status());
    assertTrue(r.err().startsWith("elaswave: --dp applies to the runtime, not to --reference"), r.err());
    assertUntouched();
  }

  @Test
  void badRuntimeShapesAreRejectedBeforeAnythingStarts() throws Exception {
    for (String[] args : new String[][] {{"--dp", "0"}, {"--nodes", "0"}, {"--cluster", "nohost"},
        {"--cluster", "h:1", "--nodes", "2"}, {"--kill", "2@8"}, {"--nodes", "2", "--kill", "5@3"},
        {"--nodes", "2", "--kill", "node-1"}, {"--join", "@3"}, {"--nodes", "2", "--join", "3"},
        {"--policy", "torchfts"}, {"--frequency", "fast"}, {"--frequency", "power-cap=-3"},
        {"--frequency", "power-cap="}, {"--nodes", "4", "--migration", "sideways"},
        {"--cluster", "h:1", "--migration", "blocking"}}) {
      List<String> all = new java.util.ArrayList<>(List.of("train", "--model", "tiny", "--metrics", metrics.toString()));
      all.addAll(List.of(args));
      Cli.Result r = Cli.run(all.toArray(String[]::new));
      assertEquals(2, r.status(), r.err());
      assertTrue(r.err().startsWith("elaswave: --"), r.err());
      assertUntouched();
    }
  }

  @Test
  void aBadOrBusyHttpPortIsRefusedInOneLineBeforeAnythingStarts() throws Exception {
    try (java.net.ServerSocket busy = new java.net.ServerSocket(0, 1,
        java.net.InetAddress.getByName("127.0.0.1"))) {
      String taken = Integer.toString(busy.getLocalPort());
      String before = Integer.toString(busy.getLocalPort() - 1); // node-0's management port is the busy one
      for (String[] args : new String[][] {{"--http-port", "0"}, {"--http-port", "70000"}, {"--http-port", taken},
          {"--nodes", "2", "--http-port", before}, {"--reference", "--http-port", taken}}) {
        List<String> all = new java.util.ArrayList<>(List.of("train", "--model", "tiny", "--steps", "2", "--metrics",
            metrics.toString()));
        all.addAll(List.of(args));
        Cli.Result r = Cli.run(all.toArray(String[]::new));
        assertEquals(2, r.status(), String.join(" ", args) + ": " + r.err());
        assertTrue(r.err().startsWith("elaswave: --http-port") && r.err().strip().lines().count() == 1, r.err());
        assertUntouched();
      }
    }
  }

  @Test
  void statusRefusesABadAddressAndSaysWhenNothingAnswers() throws Exception {
    for (String[] args : new String[][] {{"status", "--http", "nohost"}, {"status", "--cluster", "h:99999"},
        {"status", "--http", "h:1", "--cluster", "h:2"}, {"status"}, {"status", "--http", "h:1", "--watch", "0"},
        {"node", "--seed", "127.0.0.1:1", "--management-port", "0"}}) {
      Cli.Result r = Cli.run(args);
      assertEquals(2, r.status(), String.join(" ", args) + ": " + r.err());
      assertTrue(r.err().startsWith("elaswave: "), r.err());
    }
    int closed;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    Cli.Result r = Cli.run("status", "--http", "127.0.0.1:" + closed);
    assertEquals(1, r.status(), r.err());
    assertTrue(r.err().startsWith("elaswave: cannot read http://127.0.0.1:" + closed + "/status")
        && r.err().strip().lines().count() == 1, r.err());
  }

  static Stream<Arguments> jobsTheLayoutCannotRun() {
    return Stream.of(
        // the default 4 micro-batches cannot be split over 5 replicas: in this JVM, and before 5 JVMs start
        Arguments.of(List.of("--dp", "5", "--steps", "2"), "--dp 5"),
        Arguments.of(List.of("--nodes", "5", "--dp", "5", "--steps", "2"), "--dp 5"),
        Arguments.of(List.of("--pp", "9", "--steps", "2"), "--pp 9"),
        // more ranks than the nodes can host
        Arguments.of(List.of("--nodes", "2", "--ranks-per-node", "1", "--dp", "3", "--steps", "2"),
            "--ranks-per-node 1"),
        Arguments.of(List.of("--nodes", "3", "--ranks-per-node", "1", "--dp", "2", "--pp", "2", "--steps", "2"),
            "--nodes 3"),
        // no partition fits the memory one rank may hold, with activations in flight: in this JVM, and before JVMs start
        Arguments.of(List.of("--pp", "2", "--rank-memory", "64k", "--steps", "2"),
            "--rank-memory 65536 (given): no split of"),
        Arguments.of(List.of("--nodes", "2", "--dp", "2", "--rank-memory", "64k", "--steps", "2"),
            "into 1 stages fits the memory cap of 65536 bytes"),
        Arguments.of(List.of("--rank-memory", "0"), "--rank-memory '0': must be between 1 byte"),
        Arguments.of(List.of("--rank-memory", "12x"), "--rank-memory '12x': expected bytes"),
        Arguments.of(List.of("--rank-memory", "-5m"), "--rank-memory '-5m': expected bytes"),
        // node heaps and certificates
        Arguments.of(List.of("--node-heap", "2g"), "--node-heap sizes the node JVMs started here"),
        Arguments.of(List.of("--nodes", "2", "--node-heap", "12q"), "--node-heap '12q'"),
        Arguments.of(List.of("--nodes", "2", "--node-heap", "1m"), "a node JVM needs at least 64m"),
        Arguments.of(List.of("--tls", "auto"), "--tls secures the links between JVMs"),
        Arguments.of(List.of("--cluster", "h:1", "--tls", "auto"), "--tls auto makes a CA for the node JVMs"),
        Arguments.of(List.of("--nodes", "2", "--tls", "/nonexistent/certs"), "no readable trust.p12"));
  }

  @ParameterizedTest
  @MethodSource("jobsTheLayoutCannotRun")
  void aJobTheLayoutCannotRunIsRefusedInOneLineBeforeAnyNodeStarts(List<String> flags, String named)
      throws Exception {
    assertRefusedBeforeAnythingStarts(flags, named);
  }

  static Stream<Arguments> badFaults() {
    return Stream.of(
        Arguments.of(List.of("--fault", "boom"), "--fault 'boom'"),
        Arguments.of(List.of("--fault", "zap:r1@3"), "unknown kind 'zap'"),
        Arguments.of(List.of("--fault", "hang:rx@3"), "--fault"),
        Arguments.of(List.of("--fault", "error:r1@0"), "--fault"),
        Arguments.of(List.of("--dp", "2", "--fault", "hang:r2@3"), "no rank r2 among r0..r1"),
        Arguments.of(List.of("--steps", "4", "--fault", "error:r0@5"), "after the last step (--steps 4)"),
        Arguments.of(List.of("--fault", "kill:node-1@2"), "--nodes 2 or more"),
        Arguments.of(List.of("--cluster", "h:1", "--fault", "kill:1@2"), "--nodes 2 or more"),
        Arguments.of(List.of("--nodes", "2", "--fault", "kill:node-2@2"), "no node 'node-2'"),
        Arguments.of(List.of("--nodes", "2", "--steps", "3", "--kill", "1@4"), "after the last step"),
        Arguments.of(List.of("--nodes", "2", "--kill", "node-1"), "--kill takes NODE@STEP"),
        Arguments.of(List.of("--fault", "freeze:node-1@2"), "a freeze needs node JVMs started here"),
        Arguments.of(List.of("--nodes", "2", "--fault", "freeze:node-3+4@2"), "no node 'node-3'"),
        Arguments.of(List.of("--fault", "partition:node-1@2"), "a partition needs node JVMs started here"),
        Arguments.of(List.of("--nodes", "2", "--fault", "partition:node-2+1@2"), "no node 'node-2'"),
        Arguments.of(List.of("--netns"), "--netns runs the node JVMs started here"));
  }

  static Stream<Arguments> badBudgets() {
    String tooMany = Integer.toString(Runtime.getRuntime().availableProcessors() + 1);
    return Stream.of(
        Arguments.of(List.of("--nodes", "2", "--node-cpus=0"), "--node-cpus '0': a budget must be at least 0.01"),
        Arguments.of(List.of("--nodes", "2", "--node-cpus=-0.4"), "--node-cpus '-0.4': expected a number of cores"),
        Arguments.of(List.of("--nodes", "2", "--node-cpus", "abc"), "--node-cpus 'abc': expected a number of cores"),
        Arguments.of(List.of("--nodes", "2", "--node-cpus", tooMany), "more than this machine's"),
        Arguments.of(List.of("--nodes", "2", "--node-cpus", "node-x=0.2"), "expected X or NODE=X"),
        Arguments.of(List.of("--nodes", "2", "--node-cpus", "node-1=0"), "--node-cpus 'node-1=0'"),
        Arguments.of(List.of("--nodes", "2", "--node-cpus", "node-2=0.2"), "no node 'node-2' among node-0..node-1"),
        Arguments.of(List.of("--node-cpus", "0.4"), "it needs --nodes 2 or more"),
        Arguments.of(List.of("--cluster", "h:1", "--node-cpus", "0.4"), "it needs --nodes 2 or more"),
        Arguments.of(List.of("--nodes", "2", "--fault", "slow:node-1=0.1@2"), "it needs --node-cpus for node-1"),
        Arguments.of(List.of("--nodes", "2", "--node-cpus", "node-0=0.5", "--fault", "slow:node-1=0.1@2"),
            "it needs --node-cpus for node-1"),
        Arguments.of(List.of("--nodes", "2", "--node-cpus", "0.5", "--fault", "slow:node-1=" + tooMany + "@2"),
            "more than this machine's"),
        Arguments.of(List.of("--nodes", "2", "--node-cpus", "0.5", "--fault", "slow:node-2=0.1@2"), "no node 'node-2'"),
        Arguments.of(List.of("--fault", "slow:node-1=0@2"), "--fault 'slow:node-1=0@2'"));
  }

  @ParameterizedTest
  @MethodSource("badBudgets")
  void aBadBudgetIsRefusedInOneLineBeforeAnythingStarts(List<String> flags, String named) throws Exception {
    assertRefusedBeforeAnythingStarts(flags, named);
  }

  @Test
  void budgetsWithoutControlGroupsAreRefusedBeforeAnythingStarts() throws Exception {
    Assumptions.assumeFalse(io.elaswave.app.launch.NetworkLab.isRoot(), "as root the groups could be made");
    assertRefusedBeforeAnythingStarts(List.of("--nodes", "2", "--node-cpus", "0.4"),
        "--node-cpus needs control groups it can write");
  }

  @Test
  void budgetsApplyToTheRuntimeOnly() throws Exception {
    Cli.Result r = Cli.run("train", "--reference", "--model", "tiny", "--node-cpus", "0.4", "--metrics",
        metrics.toString());
    assertEquals(2, r.status());
    assertTrue(r.err().startsWith("elaswave: --node-cpus applies to the runtime, not to --reference"), r.err());
    assertUntouched();
  }

  @Test
  void aNodeWithABadBudgetIsRefusedInOneLine() {
    for (String bad : new String[] {"0", "abc", Integer.toString(Runtime.getRuntime().availableProcessors() + 1)}) {
      Cli.Result r = Cli.run("node", "--seed", "127.0.0.1:1", "--cpus", bad);
      assertEquals(2, r.status(), r.err());
      assertEquals(1, r.err().lines().count(), r.err());
      assertTrue(r.err().startsWith("elaswave: --cpus '" + bad + "': "), r.err());
      assertEquals("", r.out());
    }
  }

  @Test
  void aPartitionWithoutRootIsRefusedBeforeAnythingStarts() throws Exception {
    Assumptions.assumeFalse(io.elaswave.app.launch.NetworkLab.isRoot(), "as root the partition would run");
    assertRefusedBeforeAnythingStarts(List.of("--nodes", "2", "--fault", "partition:node-1@2"),
        "partition faults need root: the nodes run in network namespaces");
  }

  @ParameterizedTest
  @MethodSource("badFaults")
  void aBadFaultIsRefusedInOneLineBeforeAnythingStarts(List<String> flags, String named) throws Exception {
    assertRefusedBeforeAnythingStarts(flags, named);
  }

  @Test
  void faultsApplyToTheRuntimeOnly() throws Exception {
    Cli.Result r = Cli.run("train", "--reference", "--model", "tiny", "--fault", "hang:r0@1", "--metrics",
        metrics.toString());
    assertEquals(2, r.status());
    assertTrue(r.err().startsWith("elaswave: --fault applies to the runtime, not to --reference"), r.err());
    assertUntouched();
  }

  /** Exit 2, one line on stderr naming the flag, nothing on stdout (no node JVM started, no header), no file. */
  private void assertRefusedBeforeAnythingStarts(List<String> flags, String named) throws Exception {
    List<String> args = new ArrayList<>(List.of("train", "--model", "tiny", "--metrics", metrics.toString()));
    args.addAll(flags);
    Cli.Result r = Cli.run(args.toArray(String[]::new));
    assertEquals(2, r.status(), r.out() + r.err());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(r.err().startsWith("elaswave: --") && r.err().contains(named), r.err());
    assertTrue(!r.err().contains("\tat ") && !r.err().contains("Exception"), r.err());
    assertEquals("", r.out(), "nothing started");
    assertUntouched();
  }

  @Test
  void corruptCheckpointIsRejectedBeforeAnythingIsWritten() throws Exception {
    Path bad = dir.resolve("bad");
    Files.createDirectories(bad);
    byte[] bytes = Files.readAllBytes(shared.resolve("ck/step-000002/state.bin"));
    bytes[bytes.length / 2] ^= 0x10;
    Files.write(bad.resolve("state.bin"), bytes);

    Cli.Result r = Cli.run("train", "--reference", "--resume", bad.toString(), "--metrics", metrics.toString(),
        "--checkpoint-dir", bad.toString());
    assertNotEquals(0, r.status());
    assertTrue(r.err().startsWith("elaswave: --resume: ") && r.err().contains("corrupt"), r.err());
    assertEquals(1, r.err().lines().count(), r.err());
    assertUntouched();
    assertEquals(List.of(bad.resolve("state.bin")), Files.list(bad).toList(), "no checkpoint written");
  }

  @Test
  void missingCheckpointIsAClearError() throws Exception {
    Cli.Result r = Cli.run("train", "--reference", "--resume", dir.resolve("nope").toString(), "--metrics",
        metrics.toString());
    assertEquals(2, r.status());
    assertTrue(r.err().contains("no checkpoint at"), r.err());
    assertUntouched();
  }

  @Test
  void conflictingSeedOnResumeIsRejected() throws Exception {
    Cli.Result r = Cli.run("train", "--reference", "--resume", shared.resolve("ck").toString(), "--seed", "7",
        "--metrics", metrics.toString());
    assertEquals(2, r.status());
    String first = r.err().lines().findFirst().orElseThrow();
    assertTrue(first.contains("--seed") && first.contains("7") && first.contains("1337"), first);
    assertUntouched();
  }

  @Test
  void stepsBeforeTheCheckpointAreRejected() throws Exception {
    Cli.Result r = Cli.run("train", "--reference", "--resume", shared.resolve("ck").toString(), "--steps", "1",
        "--metrics", metrics.toString());
    assertEquals(2, r.status());
    assertTrue(r.err().contains("--steps 1 is before the checkpoint's step 2"), r.err());
    assertUntouched();
  }

  @Test
  void helpAndVersion() {
    Cli.Result top = Cli.run("--help");
    assertEquals(0, top.status());
    assertTrue(top.out().contains("Usage: elaswave") && top.out().contains("train"), top.out());
    Cli.Result train = Cli.run("train", "--help");
    assertEquals(0, train.status());
    assertTrue(train.out().contains("--checkpoint-every"), train.out());
    Cli.Result version = Cli.run("--version");
    assertEquals(0, version.status());
    assertTrue(version.out().startsWith("elaswave "), version.out());
    Cli.Result none = Cli.run();
    assertEquals(2, none.status());
    assertTrue(none.err().startsWith("elaswave: missing command"), none.err());
  }

  private void assertUntouched() throws Exception {
    assertEquals(OLD_METRICS, Files.readString(metrics));
    assertEquals(OLD_TIME, Files.getLastModifiedTime(metrics));
  }
}
