package io.elaswave.actors.scheduler;

import io.elaswave.actors.group.TensorBatches;
import io.elaswave.engine.param.BlockRef;
import io.elaswave.engine.param.ParamBlocks;
import io.elaswave.engine.train.Checkpoint;
import io.elaswave.engine.train.TrainState;
import io.elaswave.planner.Layout;
import io.elaswave.planner.StageAssignment;
import io.elaswave.protocol.FloatTensor;
import io.elaswave.protocol.runtime.JobSpec;
import io.elaswave.protocol.runtime.RankMessage;
import io.elaswave.planner.RankId;
import io.elaswave.protocol.runtime.StateBlock;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A checkpoint cut into LoadState messages: each rank gets every block of the layers it holds,
 * with the moments (kept only by the blocks' owners), in batches under the message limit.
 */
record CheckpointLoad(long step, List<Delivery> deliveries) {
  /**
   * Floats in one LoadState: well under Artery's 512 KiB ordinary frame (a LoadState larger than
   * it was dropped, and a resumed `small` job across JVMs never started). A block is 3 × 4096.
   */
  static final int CONTROL_CHANNEL_FLOATS = 65_536;

  /** One LoadState for one rank. */
  record Delivery(RankId rank, RankMessage.LoadState message) {}

  /** Reads and checks the job's checkpoint; a clear IllegalArgumentException if it does not fit. */
  static CheckpointLoad read(JobSpec job, Layout layout, ParamBlocks blocks, int maxFloats) {
    Checkpoint checkpoint = Checkpoint.read(Path.of(job.resumeFrom()));
    if (!checkpoint.config().equals(job.config().withSteps(checkpoint.config().steps()))) {
      throw new IllegalArgumentException("checkpoint " + job.resumeFrom() + " was made by another training config");
    }
    TrainState state = checkpoint.state();
    if (state.params().length != blocks.layerCount()) {
      throw new IllegalArgumentException("checkpoint " + job.resumeFrom() + " has " + state.params().length
          + " layers, the model has " + blocks.layerCount());
    }
    List<Delivery> deliveries = new ArrayList<>();
    for (StageAssignment s : layout.stages()) {
      List<StateBlock> mine = new ArrayList<>();
      for (int l = s.layerFrom(); l < s.layerTo(); l++) {
        if (state.params()[l].length != blocks.layerSize(l)) {
          throw new IllegalArgumentException("checkpoint layer " + l + " has the wrong size");
        }
        for (BlockRef b : blocks.blocks(l)) {
          mine.add(new StateBlock(l, b.block(), slice(state.params()[l], b), slice(state.m()[l], b),
              slice(state.v()[l], b)));
        }
      }
      for (List<StateBlock> batch : TensorBatches.split(mine, x -> 3 * x.params().length(), maxFloats)) {
        deliveries.add(new Delivery(s.rank(), new RankMessage.LoadState(layout.epoch(), state.step(), batch)));
      }
    }
    return new CheckpointLoad(state.step(), deliveries);
  }

  private static FloatTensor slice(float[] values, BlockRef b) {
    return new FloatTensor(Arrays.copyOfRange(values, b.from(), b.to()));
  }
}
