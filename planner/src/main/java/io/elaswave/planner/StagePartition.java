package io.elaswave.planner;

import java.util.List;
import java.util.stream.Collectors;

/** Contiguous stages covering all layers, and the cost of the most expensive one (the bottleneck). */
public record StagePartition(List<LayerRange> stages, double bottleneck) {
  public StagePartition {
    Require.that(stages != null && !stages.isEmpty(), "a partition needs at least one stage");
    stages = List.copyOf(stages);
    Require.that(stages.get(0).from() == 0, "the first stage must start at layer 0");
    for (int s = 1; s < stages.size(); s++) {
      Require.that(stages.get(s).from() == stages.get(s - 1).to(), "stages must be contiguous: " + stages);
    }
  }

  public int stageCount() {
    return stages.size();
  }

  public int layerCount() {
    return stages.get(stages.size() - 1).to();
  }

  @Override public String toString() {
    return stages.stream().map(LayerRange::toString).collect(Collectors.joining("|"));
  }
}
