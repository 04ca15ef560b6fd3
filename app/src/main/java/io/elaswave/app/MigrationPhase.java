package io.elaswave.app;

import io.elaswave.app.launch.NodeBudgets;
import io.elaswave.engine.data.Corpus;
import io.elaswave.engine.train.TrainConfig;
import io.elaswave.protocol.fault.Fault;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code bench elastic --phases migration}: recover first and migrate in the background against
 * the balanced plan installed before the next step, back to back in rounds. A 4-stage pipeline
 * of the 8-layer small model on 4 node JVMs (emulated accelerators as root) loses node-1 at
 * step {@link #KILL_AT}: blocking re-partitions the three survivors at once; background resumes
 * with the survivors keeping their layers and switches to the balanced partition once the
 * shadows are current. Per mode: MTTR (kill to running again), the time from the kill until the
 * balanced layout runs, the switch's own pause, and tokens/s once balanced.
 */
final class MigrationPhase {
  static final int STEPS = 20;
  static final int KILL_AT = 8;

  private record Round(double mttr, double balancedAfter, double switchPause, double tokensPerSec, long digest) {}

  private MigrationPhase() {}

  static String run(int rounds, NodeBudgets budgets, String cpus, Corpus corpus, PrintWriter term) {
    TrainConfig config = ElasticBench.custom("small", 4, STEPS);
    Map<String, List<Round>> byMode = new LinkedHashMap<>();
    byMode.put("blocking", new ArrayList<>());
    byMode.put("background", new ArrayList<>());
    for (int i = 0; i < rounds; i++) {
      for (String mode : byMode.keySet()) {
        byMode.get(mode).add(round(mode, config, budgets, corpus, term));
      }
    }
    long digest = byMode.get("blocking").get(0).digest();
    boolean sameBits = byMode.values().stream().flatMap(List::stream).allMatch(r -> r.digest() == digest);
    List<String> parts = new ArrayList<>();
    for (Map.Entry<String, List<Round>> e : byMode.entrySet()) {
      List<Round> rs = e.getValue();
      double mttr = PolicyTable.median(rs.stream().mapToDouble(Round::mttr).toArray());
      double balanced = PolicyTable.median(rs.stream().mapToDouble(Round::balancedAfter).toArray());
      double pause = PolicyTable.median(rs.stream().mapToDouble(Round::switchPause).toArray());
      double tps = PolicyTable.median(rs.stream().mapToDouble(Round::tokensPerSec).toArray());
      term.printf(Locale.ROOT, "migration %s: MTTR p50 %.0f ms, balanced after %.0f ms, switch pause %.0f ms,"
          + " %.0f tok/s balanced (runs: %s)%n", e.getKey(), mttr, balanced, pause, tps, rs);
      parts.add(String.format(Locale.ROOT, "\"%s\": {\"mttrMillisP50\": %.1f, \"balancedAfterMillisP50\": %.1f,"
          + " \"switchPauseMillisP50\": %.1f, \"tokensPerSecBalanced\": %.1f, \"mttrMillis\": %s}", e.getKey(), mttr,
          balanced, pause, tps, rs.stream().map(r -> Math.round(r.mttr())).toList()));
    }
    return String.format(Locale.ROOT, "  \"migration\": {\"model\": \"small\", \"shape\": \"dp1xpp4 on 4 nodes\","
        + " \"killAt\": %d, \"rounds\": %d, \"emulated\": %b, \"cpusPerNode\": \"%s\", \"bitwiseAcrossModes\": %b,%n"
        + "    %s}", KILL_AT, rounds, !budgets.isEmpty(), budgets.isEmpty() ? "none" : cpus, sameBits,
        String.join(",\n    ", parts));
  }

  private static Round round(String mode, TrainConfig config, NodeBudgets budgets, Corpus corpus, PrintWriter term) {
    RuntimeOptions options = RuntimeOptions.builder(1, 4).nodes(4).ranksPerNode(1).budgets(budgets)
        .rankMemory(8L << 30).nodeJvmOptions(List.of("-Delaswave.migration=" + mode))
        .fault(new Fault.Kill("node-1", KILL_AT)).build();
    BudgetedRun r = BudgetedRun.run(options, config, corpus, term);
    List<RunEvent> events = r.allEvents();
    long killedAt = events.stream().filter(e -> e instanceof RunEvent.NodeKilled).mapToLong(RunEvent::atMillis)
        .findFirst().orElseThrow(() -> new IllegalStateException(mode + ": node-1 was never killed"));
    RunEvent.Recovered rec = events.stream().filter(e -> e instanceof RunEvent.Recovered).map(e -> (RunEvent.Recovered) e)
        .findFirst().orElseThrow(() -> new IllegalStateException(mode + ": no recovery reported"));
    var migrated = events.stream().filter(e -> e instanceof RunEvent.Replanned p && p.cause().equals("migrated"))
        .map(e -> (RunEvent.Replanned) e).findFirst();
    if (mode.equals("background") && migrated.isEmpty()) {
      throw new IllegalStateException("background: the recover-first layout never migrated");
    }
    double balancedAfter = migrated.map(m -> (double) (m.readyAtMillis() - killedAt)).orElse(rec.mttrMillis());
    long balancedFrom = migrated.map(RunEvent.Replanned::step).orElse(rec.step() + 1) + 1;
    return new Round(rec.mttrMillis(), balancedAfter, migrated.map(RunEvent.Replanned::reconfigureMillis).orElse(0.0),
        r.tokensPerSecond((int) Math.min(balancedFrom, STEPS - 4), STEPS), r.digests.get(STEPS));
  }
}
