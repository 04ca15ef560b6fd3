package io.elaswave.planner.measure;

import io.elaswave.planner.RankId;
import io.elaswave.planner.Require;
import java.util.Arrays;

/**
 * One rank's measured compute in one step, per layer it holds: wall milliseconds of forward plus
 * backward per micro-batch (at the rank's own speed), and bytes a forward allocated per
 * micro-batch (what its activations can take, an upper bound).
 *
 * @param layerFrom the first layer held; the arrays cover layers layerFrom, layerFrom + 1, …
 */
public record RankSample(RankId rank, int layerFrom, double[] millisPerMicroBatch, long[] activationBytes) {
  public RankSample {
    Require.that(rank != null, "a sample names its rank");
    Require.that(layerFrom >= 0, "layerFrom must be >= 0, got " + layerFrom);
    Require.that(millisPerMicroBatch != null && activationBytes != null
        && millisPerMicroBatch.length == activationBytes.length && millisPerMicroBatch.length > 0,
        "a sample has one time and one activation figure per layer held");
    for (int i = 0; i < millisPerMicroBatch.length; i++) {
      Require.that(Double.isFinite(millisPerMicroBatch[i]) && millisPerMicroBatch[i] >= 0,
          "time of layer " + (layerFrom + i) + " must be finite and >= 0, got " + millisPerMicroBatch[i]);
      Require.that(activationBytes[i] >= 0, "activation bytes must be >= 0");
    }
    millisPerMicroBatch = millisPerMicroBatch.clone();
    activationBytes = activationBytes.clone();
  }

  public int layerTo() {
    return layerFrom + millisPerMicroBatch.length;
  }

  @Override public double[] millisPerMicroBatch() {
    return millisPerMicroBatch.clone();
  }

  @Override public long[] activationBytes() {
    return activationBytes.clone();
  }

  @Override public boolean equals(Object o) {
    return o instanceof RankSample s && rank.equals(s.rank) && layerFrom == s.layerFrom
        && Arrays.equals(millisPerMicroBatch, s.millisPerMicroBatch) && Arrays.equals(activationBytes, s.activationBytes);
  }

  @Override public int hashCode() {
    return 31 * (31 * rank.hashCode() + layerFrom) + Arrays.hashCode(millisPerMicroBatch);
  }

  @Override public String toString() {
    return "RankSample[" + rank + " L" + layerFrom + " ms=" + Arrays.toString(millisPerMicroBatch) + "]";
  }
}
