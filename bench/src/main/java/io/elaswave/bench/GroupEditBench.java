package io.elaswave.bench;

import com.typesafe.config.ConfigFactory;
import io.elaswave.actors.group.CommunicatorGroup;
import io.elaswave.actors.group.TrafficCounter;
import io.elaswave.planner.RankId;
import io.elaswave.protocol.runtime.GroupMessage;
import io.elaswave.protocol.runtime.RankMessage;
import io.elaswave.protocol.runtime.RankRefs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Editing communicator groups in place against tearing them down and rebuilding them, in one
 * local actor system: 32 groups (8 layers × 4 holders' views); a membership change applied in
 * place (remove, add, set owners, then a view from each) against stopping every group and
 * spawning it anew with the new table (then a view from each), alternating, ROUNDS times each.
 * Formerly the {@code groupEdits} part of {@code elaswave bench elastic}; it needs no node JVMs.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar io.elaswave.bench.GroupEditBench \
 *     [OUT.json (default bench/results/group-edits.json)] [ROUNDS (default 300)]
 * </pre>
 */
public final class GroupEditBench {
  private static final int GROUPS = 32;

  private GroupEditBench() {}

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args.length > 0 ? args[0] : "bench/results/group-edits.json");
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 300;
    double[] micros = measure(rounds);
    double ratio = micros[1] / micros[0];
    System.out.printf(Locale.ROOT, "groups (%d): in-place edit %.0f us, tear down and rebuild %.0f us per change;"
        + " rebuild / in-place = %.2f%n", GROUPS, micros[0], micros[1], ratio);
    String json = String.format(Locale.ROOT, "{%n  \"generatedAt\": \"%s\", \"cores\": %d,%n  \"groupEdits\":"
        + " {\"groups\": %d, \"rounds\": %d, \"inPlaceMicros\": %.1f, \"rebuildMicros\": %.1f, \"rebuildOverInPlace\":"
        + " %.3f}%n}%n", Instant.now(), Runtime.getRuntime().availableProcessors(), GROUPS, rounds, micros[0],
        micros[1], ratio);
    write(out, json);
  }

  /** {in-place, rebuild} microseconds per change, averaged over {@code rounds} alternating rounds. */
  static double[] measure(int rounds) throws Exception {
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "group-bench",
        ConfigFactory.parseString("pekko.actor.provider = local\npekko.loglevel = WARNING")
            .withFallback(ConfigFactory.load()));
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
      for (int g = 0; g < GROUPS; g++) {
        groups.add(spawn(system, g, serial++, members.subList(0, 4), owners, 1));
      }
      long inPlace = 0;
      long rebuild = 0;
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
      return new double[] {inPlace / 1e3 / rounds, rebuild / 1e3 / rounds};
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

  private static void write(Path out, String json) throws IOException {
    if (out.toAbsolutePath().getParent() != null) {
      Files.createDirectories(out.toAbsolutePath().getParent());
    }
    Files.writeString(out, json, StandardCharsets.UTF_8);
    System.out.println("wrote " + out);
  }
}
