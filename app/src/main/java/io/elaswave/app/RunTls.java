package io.elaswave.app;

import io.elaswave.actors.node.NodeTls;
import io.elaswave.app.tls.ThrowawayCa;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code train --tls}: the run's options with the certificates every process it starts will use,
 * checked up front ({@code --tls DIR}), or made for this run ({@code --tls auto}: {@code ca} is
 * then the throwaway CA to close when the run ends, null otherwise).
 */
record RunTls(RuntimeOptions runtime, ThrowawayCa ca) {
  static RunTls of(RuntimeOptions runtime, String tls) {
    boolean localCluster = runtime.local() && runtime.nodes() > 1;
    if (!localCluster && runtime.local()) {
      throw new InputException("--tls secures the links between JVMs: it needs --nodes 2 or more, or --cluster");
    }
    List<String> names = new ArrayList<>(List.of("driver"));
    if (localCluster) {
      for (int i = 0; i < runtime.nodes() + runtime.joinAt().size(); i++) {
        names.add("node-" + i);
      }
    }
    if (tls.equals("auto")) {
      if (!localCluster) {
        throw new InputException("--tls auto makes a CA for the node JVMs started here; with --cluster give the nodes' DIR");
      }
      ThrowawayCa ca = ThrowawayCa.create(names);
      return new RunTls(runtime.withTls(ca.dir()), ca);
    }
    Path dir = Path.of(tls);
    try {
      for (String name : names) {
        NodeTls.check(dir, name);
      }
    } catch (IllegalArgumentException e) {
      throw new InputException(e.getMessage());
    }
    return new RunTls(runtime.withTls(dir), null);
  }
}
