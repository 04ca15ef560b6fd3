package io.elaswave.persistence;

import io.elaswave.engine.train.TrainConfig;
import io.elaswave.planner.Layout;
import io.elaswave.planner.ModelProfile;
import io.elaswave.planner.PlanRequest;
import io.elaswave.planner.RankInfo;
import io.elaswave.planner.StaticPlanner;
import io.elaswave.protocol.runtime.JobSpec;
import java.util.List;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializers;

/**
 * Writes and reads back one of every ledger event and a ledger snapshot, in memory: the JSON
 * binding builds each class's (de)serializer on first use, which costs a fresh JVM hundreds of
 * milliseconds — better spent at a node's boot than in a scheduler fail-over's ledger replay.
 */
public final class LedgerWarmup {
  private LedgerWarmup() {}

  /** Round-trips the samples; throws if one does not come back equal (a broken binding). */
  public static void roundTrip(ClassicActorSystemProvider system) {
    Serialization serialization = SerializationExtension.get(system.classicSystem());
    for (LedgerSerializable sample : samples()) {
      var serializer = serialization.findSerializerFor(sample);
      byte[] bytes = serializer.toBinary(sample);
      Object back = serialization.deserialize(bytes, serializer.identifier(), Serializers.manifestFor(serializer,
          sample)).get();
      if (!back.equals(sample)) {
        throw new IllegalStateException("the ledger's binding does not round-trip " + sample.getClass().getSimpleName());
      }
    }
  }

  private static List<LedgerSerializable> samples() {
    TrainConfig config = TrainConfig.defaults("tiny");
    JobSpec spec = new JobSpec(config, 2, 1, "");
    Layout layout = StaticPlanner.plan(PlanRequest.of(RankInfo.packed(2, 1, "node-"), 2, 1, config.microBatches(),
        ModelProfile.estimate(config.modelConfig(65), 2)));
    List<BlockDigestEntry> digests = List.of(new BlockDigestEntry(0, 0, 42L));
    return List.of(new LedgerEvent.JobStarted(spec), new LedgerEvent.PlanAdopted(layout, "warm-up"),
        new LedgerEvent.PlanInstalled(1), new LedgerEvent.JobResumed(1),
        new LedgerEvent.StepCommitted(1, 1, 7L, 1.5f, digests), new LedgerEvent.JobEnded(),
        new LedgerState(spec, layout, layout, 1, 7L, digests, false));
  }
}
