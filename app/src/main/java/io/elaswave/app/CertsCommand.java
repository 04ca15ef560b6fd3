package io.elaswave.app;

import io.elaswave.app.tls.ClusterCa;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code elaswave certs}: a cluster CA and a certificate per process, for {@code --tls DIR}. */
@Command(
    name = "certs",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    description = {"Make a cluster CA and a certificate for each process (node-0..node-N-1, the driver, and any"
        + " --names) in DIR, for train/node --tls DIR. Run it again on the same DIR to add names: existing"
        + " certificates are kept. Copy DIR/trust.p12, DIR/password and a process's own NAME.p12 to its machine;"
        + " DIR/ca.p12 (the CA's key) stays with whoever issues certificates."},
    footer = {"", "Exit status: 0 done, 1 failed while running, 2 bad input."})
final class CertsCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Option(names = "--out", paramLabel = "DIR", required = true, description = "Where the CA and certificates go.")
  private Path out;

  @Option(names = "--nodes", paramLabel = "N", defaultValue = "0",
      description = "Certificates for node-0..node-N-1 (the names train --nodes gives its nodes; default: none).")
  private int nodes;

  @Option(names = "--names", paramLabel = "NAME", split = ",",
      description = "More certificates, for processes with these names (node --name NAME).")
  private List<String> names = new ArrayList<>();

  @Override public Integer call() throws IOException, GeneralSecurityException {
    if (nodes < 0) {
      throw new InputException("--nodes must be >= 0");
    }
    if (Files.exists(out) && !Files.isDirectory(out)) {
      throw new InputException("--out " + out + " exists and is not a directory");
    }
    if (Files.exists(out.resolve("ca.p12")) ^ Files.exists(out.resolve("password"))) {
      throw new InputException("--out " + out + " holds only one of ca.p12 and password: not a CA directory made here");
    }
    List<String> all = new ArrayList<>(List.of("driver"));
    for (int i = 0; i < nodes; i++) {
      all.add("node-" + i);
    }
    for (String n : names) {
      if (!n.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}")) {
        throw new InputException("--names: a name is letters, digits, '.', '_' or '-', got '" + n + "'");
      }
      if (!all.contains(n)) {
        all.add(n);
      }
    }
    ClusterCa ca = ClusterCa.openOrCreate(out, out.toAbsolutePath().getFileName().toString());
    PrintWriter w = spec.commandLine().getOut();
    for (String n : all) {
      w.println((ca.issue(n) ? "issued " : "kept   ") + out.resolve(n + ".p12"));
    }
    w.println("CA " + ca.certificate().getSubjectX500Principal().getName() + " in " + out.resolve("ca.p12")
        + "; trust store " + out.resolve("trust.p12"));
    w.flush();
    return 0;
  }
}
