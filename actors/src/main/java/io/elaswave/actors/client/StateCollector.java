package io.elaswave.actors.client;

import io.elaswave.engine.param.BlockRef;
import io.elaswave.engine.param.ParamBlocks;
import io.elaswave.engine.train.TrainState;
import io.elaswave.protocol.runtime.DriverMessage;
import io.elaswave.protocol.runtime.StateBlock;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Assembles StateBlocks from every owner into one TrainState; completes the future when every
 * block has arrived, then stops. Its name matches the large-message destinations.
 */
final class StateCollector {
  private StateCollector() {}

  static Behavior<DriverMessage> create(ParamBlocks blocks, CompletableFuture<TrainState> result) {
    int layers = blocks.layerCount();
    float[][] params = new float[layers][];
    float[][] m = new float[layers][];
    float[][] v = new float[layers][];
    for (int l = 0; l < layers; l++) {
      params[l] = new float[blocks.layerSize(l)];
      m[l] = new float[blocks.layerSize(l)];
      v[l] = new float[blocks.layerSize(l)];
    }
    boolean[][] seen = new boolean[layers][];
    for (int l = 0; l < layers; l++) {
      seen[l] = new boolean[blocks.blocks(l).size()];
    }
    int[] received = {0};
    long[] step = {-1};
    return Behaviors.receive(DriverMessage.class)
        .onMessage(DriverMessage.StateBlocks.class, batch -> {
          for (StateBlock s : batch.blocks()) {
            BlockRef b = blocks.blocks(s.layer()).get(s.block());
            System.arraycopy(s.params().values(), 0, params[s.layer()], b.from(), b.size());
            System.arraycopy(s.m().values(), 0, m[s.layer()], b.from(), b.size());
            System.arraycopy(s.v().values(), 0, v[s.layer()], b.from(), b.size());
            if (!seen[s.layer()][s.block()]) {
              seen[s.layer()][s.block()] = true;
              received[0]++;
            }
          }
          step[0] = batch.step();
          if (received[0] == blocks.all().size()) {
            result.complete(new TrainState(step[0], params, m, v));
            return Behaviors.stopped();
          }
          return Behaviors.same();
        })
        .onMessage(DriverMessage.JobRejected.class, r -> {
          result.completeExceptionally(new JobException(r.reason()));
          return Behaviors.stopped();
        })
        .build();
  }
}
