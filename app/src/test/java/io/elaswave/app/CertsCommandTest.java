package io.elaswave.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.elaswave.actors.node.NodeTls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code elaswave certs} end to end through the CLI. */
class CertsCommandTest {
  @Test
  void theCertsCommandIssuesForTheNodesAndTheDriverAndRefusesBadInput(@TempDir Path tmp) throws Exception {
    Cli.Result r = Cli.run("certs", "--out", tmp.resolve("c").toString(), "--nodes", "2", "--names", "gpu-7");
    assertEquals(0, r.status(), r.err());
    for (String name : List.of("driver", "node-0", "node-1", "gpu-7")) {
      NodeTls.check(tmp.resolve("c"), name);
    }
    Files.writeString(tmp.resolve("file"), "x");
    for (String[] args : new String[][] {{"certs"}, {"certs", "--out", tmp.resolve("file").toString()},
        {"certs", "--out", tmp.resolve("d").toString(), "--nodes", "-1"},
        {"certs", "--out", tmp.resolve("d").toString(), "--names", "a/b"}}) {
      Cli.Result bad = Cli.run(args);
      assertEquals(2, bad.status(), String.join(" ", args) + ": " + bad.err());
      assertTrue(bad.err().startsWith("elaswave: "), bad.err());
      assertEquals(1, bad.err().strip().lines().filter(l -> l.startsWith("elaswave:")).count(), bad.err());
    }
    assertFalse(Files.exists(tmp.resolve("d")), "nothing made on bad input");
  }
}
