package io.elaswave.sim;

import io.elaswave.planner.Layout;
import io.elaswave.planner.RankId;
import io.elaswave.planner.RankInfo;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Which nodes of a simulated job run slow now ({@link SlowdownModel}), and the draws of their
 * episodes, from a random stream of their own so that slowdowns leave the failure draws as they
 * were. An episode that a failure ends first (the repaired node is new hardware) has a void end.
 */
final class SlowNodes {
  private final SlowdownModel model;
  private final SplittableRandom rng;
  private final double[] speed; // 1, or the speed of a slow episode
  private final int[] episode; // episodes so far per node
  private int slowNow;

  SlowNodes(SlowdownModel model, int nodes, long seed) {
    this.model = model;
    this.rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + 0x51_0E);
    this.speed = new double[nodes];
    this.episode = new int[nodes];
    Arrays.fill(speed, 1);
  }

  /** An episode of a node: its number, and the seconds until it ends and until the next one starts. */
  record Episode(int number, double endsAfter, double nextAfter) {}

  /** Seconds until a node's first episode. */
  double firstOnset() {
    return model.nextOnset(rng);
  }

  /** Draws node {@code n}'s episode starting now; {@link #slow} makes it take effect. */
  Episode draw(int n) {
    double length = model.duration(rng);
    return new Episode(++episode[n], length, length + model.nextOnset(rng));
  }

  void slow(int n) {
    if (speed[n] >= 1) {
      slowNow++;
    }
    speed[n] = model.speed();
  }

  /** Node {@code n}'s episode {@code number} ends; false if it was void (a failure ended it first). */
  boolean end(int n, int number) {
    if (episode[n] != number || speed[n] >= 1) {
      return false;
    }
    speed[n] = 1;
    slowNow--;
    return true;
  }

  /** Node {@code n} failed: an episode it was in ends with it. */
  void failed(int n) {
    if (speed[n] < 1) {
      speed[n] = 1;
      slowNow--;
      episode[n]++;
    }
  }

  /** {@code shared} (rank speeds of shared accelerators) with the ranks of slow nodes slowed as well. */
  Map<RankId, Double> apply(Layout layout, Map<RankId, Double> shared) {
    if (slowNow == 0) {
      return shared;
    }
    Map<RankId, Double> speeds = new HashMap<>(shared);
    for (RankInfo r : layout.allRanks()) {
      double s = speed[Integer.parseInt(r.node().name().substring("node-".length()))];
      if (s < 1) {
        speeds.merge(r.rank(), s, (a, b) -> a * b);
      }
    }
    return speeds;
  }
}
