package io.elaswave.app;

import io.elaswave.actors.group.CommunicatorGroup;
import io.elaswave.actors.group.TrafficCounter;
import io.elaswave.engine.data.Corpus;
import io.elaswave.engine.param.Digest;
import io.elaswave.engine.train.StepResult;
import io.elaswave.engine.train.TrainConfig;
import io.elaswave.planner.RankId;
import io.elaswave.protocol.runtime.GroupMessage;
import io.elaswave.protocol.runtime.RankMessage;
import io.elaswave.protocol.runtime.RankRefs;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code elaswave bench elastic}: what elasticity costs and buys, measured on node JVMs started
 * here. MTTR over a series of SIGKILLs (kill to running again, kill to the redone step committed);
 * throughput after losing one of N ranks against (N−1)/N of before; the per-step cost of buddy
 * snapshots (on vs off); and editing communicator groups in place vs rebuilding them all.
 */
@Command(name = "elastic", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = "MTTR, throughput after a loss, snapshot overhead, group edit vs rebuild; writes JSON.")
final class ElasticBench implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Option(names = "--kills", paramLabel = "K", description = "Kills (one per 3-node run) in the MTTR series (default: 5).")
  private int kills = 5;

  @Option(names = "--model", paramLabel = "NAME", description = "Model of the throughput and snapshot phases (default: small).")
  private String model = "small";

  @Option(names = "--out", paramLabel = "FILE", description = "JSON results (default: bench/results/elastic.json).")
  private Path out = Path.of("bench", "results", "elastic.json");

  private PrintWriter term;

  @Override public Integer call() throws Exception {
    if (kills < 1 || kills > 20) {
      throw new InputException("--kills must be in [1, 20]");
    }
    term = spec.commandLine().getOut();
    Corpus corpus = Corpus.tinyShakespeare();
    StringBuilder json = new StringBuilder("{\n");
    json.append(mttr(corpus)).append(",\n");
    json.append(throughputAfterLoss(corpus)).append(",\n");
    json.append(snapshotOverhead(corpus)).append(",\n");
    json.append(groupEdits()).append("\n}\n");
    BenchOutput.write(out, json, term);
    return Main.EXIT_OK;
  }

  /**
   * K runs of 3 nodes (tiny, dp = 3, one rank per node), node-2 killed during step 4 of 6 in each:
   * few JVMs per run keep the 2-core machine from starving heartbeats while JVMs warm up.
   */
  private String mttr(Corpus corpus) {
    long steps = 6;
    TrainConfig config = custom("tiny", 3, steps);
    List<Double> running = new ArrayList<>();
    List<Double> redone = new ArrayList<>();
    List<Double> detect = new ArrayList<>();
    for (int run = 0; run < kills; run++) {
      List<Long> digests = new ArrayList<>();
      try (RuntimeDriver d = RuntimeDriver.start(new RuntimeOptions(3, 1, 3, 1, null, "127.0.0.1",
          List.of(new RuntimeOptions.Kill("node-2", 4)), List.of(), null), config, null, corpus, term)) {
        for (long s = 1; s <= steps; s++) {
          digests.add(d.step().digest());
          for (RunEvent e : d.drainEvents()) {
            if (e.name().equals("recovered")) {
              running.add((Double) e.fields().get("mttrMillis"));
              redone.add((Double) e.fields().get("redoneMillis"));
              detect.add((Double) e.fields().get("detectMillis"));
            }
          }
        }
      }
      requireReference(config, corpus, digests, "mttr run " + (run + 1));
    }
    term.printf(Locale.ROOT, "MTTR over %d kills: running again p50 %.0f ms, max %.0f ms; redone step committed p50 %.0f"
        + " ms, max %.0f ms; detection p50 %.0f ms%n", running.size(), p50(running), max(running), p50(redone),
        max(redone), p50(detect));
    return String.format(Locale.ROOT, "  \"mttr\": {\"kills\": %d, \"runningAgainMillis\": %s, \"redoneCommittedMillis\":"
            + " %s, \"detectMillis\": %s, \"runningAgainP50\": %.1f, \"runningAgainMax\": %.1f, \"redoneP50\": %.1f,"
            + " \"redoneMax\": %.1f}", running.size(), running, redone, detect, p50(running), max(running), p50(redone),
        max(redone));
  }

  /**
   * dp=4 on 4 nodes; node-3 killed during step 15 of 24; steps 7–14 against steps 17–24 (the
   * first steps are left to the JIT of four fresh JVMs).
   */
  private String throughputAfterLoss(Corpus corpus) {
    TrainConfig config = TrainConfig.defaults(model).withSteps(24);
    double[] stepSeconds = new double[25];
    try (RuntimeDriver d = RuntimeDriver.start(new RuntimeOptions(4, 1, 4, 1, null, "127.0.0.1",
        List.of(new RuntimeOptions.Kill("node-3", 15)), List.of(), null), config, null, corpus, term)) {
      for (int s = 1; s <= 24; s++) {
        long t0 = System.nanoTime();
        d.step();
        stepSeconds[s] = (System.nanoTime() - t0) / 1e9;
        d.drainEvents();
      }
    }
    long tokens = config.tokensPerStep(config.modelConfig(corpus.vocab().size()).seqLen());
    double before = 8 * tokens / Arrays.stream(stepSeconds, 7, 15).sum();
    double after = 8 * tokens / Arrays.stream(stepSeconds, 17, 25).sum();
    double ratio = after / (0.75 * before);
    term.printf(Locale.ROOT, "throughput %s dp4: before %.0f tok/s, after losing 1 of 4 ranks %.0f tok/s;"
        + " after / (3/4 x before) = %.2f%n", model, before, after, ratio);
    return String.format(Locale.ROOT, "  \"throughputAfterLoss\": {\"model\": \"%s\", \"ranksBefore\": 4,"
        + " \"tokensPerSecBefore\": %.1f, \"tokensPerSecAfter\": %.1f, \"afterOverExpected\": %.3f}", model, before, after,
        ratio);
  }

  /**
   * dp=2 on 2 nodes, 24 steps with steps 9–24 timed, with buddy snapshots on and off, alternated
   * twice (on, off, on, off) so drift and warm-up hit both alike.
   */
  private String snapshotOverhead(Corpus corpus) {
    TrainConfig config = TrainConfig.defaults(model).withSteps(24);
    List<Double> on = new ArrayList<>();
    List<Double> off = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      on.add(meanStepSeconds(config, corpus, List.of("-Delaswave.snapshots=on")));
      off.add(meanStepSeconds(config, corpus, List.of("-Delaswave.snapshots=off")));
    }
    double onMean = on.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    double offMean = off.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    double overhead = (onMean - offMean) / offMean;
    term.printf(Locale.ROOT, "snapshots %s dp2 on 2 nodes: %.1f ms/step on %s, %.1f ms/step off %s: overhead %.1f%%%n",
        model, onMean * 1e3, millisList(on), offMean * 1e3, millisList(off), overhead * 100);
    return String.format(Locale.ROOT, "  \"snapshotOverhead\": {\"model\": \"%s\", \"msPerStepOn\": %s,"
        + " \"msPerStepOff\": %s, \"overhead\": %.4f}", model, millisList(on), millisList(off), overhead);
  }

  private static String millisList(List<Double> seconds) {
    return seconds.stream().map(s -> String.format(Locale.ROOT, "%.1f", s * 1e3)).toList().toString();
  }

  private double meanStepSeconds(TrainConfig config, Corpus corpus, List<String> nodeOptions) {
    double total = 0;
    try (RuntimeDriver d = RuntimeDriver.start(new RuntimeOptions(2, 1, 2, 1, null, "127.0.0.1", List.of(),
        List.of(), null), config, null, corpus, term, nodeOptions)) {
      for (int s = 1; s <= config.steps(); s++) {
        long t0 = System.nanoTime();
        d.step();
        if (s >= 9) {
          total += (System.nanoTime() - t0) / 1e9;
        }
      }
    }
    return total / (config.steps() - 8);
  }

  /**
   * 32 groups (8 layers × 4 holders' views): a membership change applied in place (remove, add,
   * set owners, then a view from each) against stopping every group and spawning it anew with
   * the new table (then a view from each), 300 times each, alternating.
   */
  private String groupEdits() throws Exception {
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "group-bench",
        com.typesafe.config.ConfigFactory.parseString("pekko.actor.provider = local\npekko.loglevel = WARNING")
            .withFallback(com.typesafe.config.ConfigFactory.load()));
    try {
      ActorRef<RankMessage.DataMessage> sink = system.systemActorOf(Behaviors.ignore(), "sink", Props.empty());
      ActorRef<RankMessage> control = system.systemActorOf(Behaviors.ignore(), "control", Props.empty());
      List<RankRefs> members = new ArrayList<>();
      for (int r = 0; r < 5; r++) {
        members.add(new RankRefs(RankId.of(r), control, sink));
      }
      List<RankId> owners = new ArrayList<>();
      for (int b = 0; b < 48; b++) {
        owners.add(RankId.of(b % 4));
      }
      List<ActorRef<GroupMessage>> groups = new ArrayList<>();
      int serial = 0;
      for (int g = 0; g < 32; g++) {
        groups.add(spawn(system, g, serial++, members.subList(0, 4), owners, 1));
      }
      long inPlace = 0;
      long rebuild = 0;
      int rounds = 300;
      for (int round = 0; round < rounds; round++) {
        long epoch = round + 2;
        long t0 = System.nanoTime();
        for (ActorRef<GroupMessage> g : groups) {
          g.tell(new GroupMessage.RemoveMember(epoch, RankId.of(3)));
          g.tell(new GroupMessage.AddMember(epoch, members.get(4)));
          g.tell(new GroupMessage.SetOwners(epoch, owners));
        }
        awaitViews(system, groups);
        inPlace += System.nanoTime() - t0;

        t0 = System.nanoTime();
        List<ActorRef<GroupMessage>> rebuilt = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
          rebuilt.add(spawn(system, g, serial++, List.of(members.get(0), members.get(1), members.get(2),
              members.get(4)), owners, epoch));
        }
        stopAll(groups);
        groups = rebuilt;
        awaitViews(system, groups);
        rebuild += System.nanoTime() - t0;
      }
      double inPlaceMicros = inPlace / 1e3 / rounds;
      double rebuildMicros = rebuild / 1e3 / rounds;
      term.printf(Locale.ROOT, "groups (32): in-place edit %.0f us, tear down and rebuild %.0f us per change;"
          + " rebuild / in-place = %.2f%n", inPlaceMicros, rebuildMicros, rebuildMicros / inPlaceMicros);
      return String.format(Locale.ROOT, "  \"groupEdits\": {\"groups\": 32, \"rounds\": %d, \"inPlaceMicros\": %.1f,"
          + " \"rebuildMicros\": %.1f, \"rebuildOverInPlace\": %.3f}", rounds, inPlaceMicros, rebuildMicros,
          rebuildMicros / inPlaceMicros);
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private static ActorRef<GroupMessage> spawn(ActorSystem<Void> system, int layer, int serial, List<RankRefs> members,
      List<RankId> owners, long epoch) {
    var settings = new CommunicatorGroup.Settings(layer, RankId.of(0), new TrafficCounter(), 1 << 18);
    return system.systemActorOf(CommunicatorGroup.create(settings, epoch, members, owners), "group-" + serial,
        Props.empty());
  }

  private static void stopAll(List<ActorRef<GroupMessage>> groups) {
    // a group is a plain actor: stopping it is what tearing a communicator down means here
    groups.forEach(g -> org.apache.pekko.actor.typed.javadsl.Adapter.toClassic(g)
        .tell(org.apache.pekko.actor.PoisonPill.getInstance(), org.apache.pekko.actor.ActorRef.noSender()));
  }

  private static void awaitViews(ActorSystem<Void> system, List<ActorRef<GroupMessage>> groups) throws Exception {
    List<CompletableFuture<GroupMessage.GroupView>> views = new ArrayList<>();
    for (ActorRef<GroupMessage> g : groups) {
      views.add(AskPattern.<GroupMessage, GroupMessage.GroupView>ask(g, GroupMessage.GetView::new,
          Duration.ofSeconds(10), system.scheduler()).toCompletableFuture());
    }
    CompletableFuture.allOf(views.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
  }

  private static TrainConfig custom(String model, int microBatches, long steps) {
    TrainConfig d = TrainConfig.defaults(model);
    return new TrainConfig(model, d.seed(), (int) steps, microBatches, d.microBatchSize(), d.lr(), d.minLr(),
        d.warmupSteps(), d.decaySteps(), d.adamW(), 0, d.evalBatches());
  }

  private void requireReference(TrainConfig config, Corpus corpus, List<Long> digests, String phase) {
    try (ReferenceDriver ref = ReferenceDriver.fresh(config, corpus)) {
      for (int i = 0; i < digests.size(); i++) {
        StepResult r = ref.step();
        if (r.digest() != digests.get(i)) {
          throw new IllegalStateException(phase + ": step " + r.step() + " digest " + Digest.hex(digests.get(i))
              + " differs from the reference " + Digest.hex(r.digest()));
        }
      }
    }
    term.println(phase + ": every step's digest equals the reference run's");
  }

  private static double p50(List<Double> xs) {
    List<Double> sorted = xs.stream().sorted().toList();
    return sorted.isEmpty() ? Double.NaN : sorted.get((sorted.size() - 1) / 2);
  }

  private static double max(List<Double> xs) {
    return xs.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
  }
}
