package io.elaswave.planner.measure;

import io.elaswave.planner.ModelProfile;
import io.elaswave.planner.RankId;
import io.elaswave.planner.Require;
import io.elaswave.planner.recovery.Measurements;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Recent measured costs, per rank and layer, and the estimate plans are made from. A rank's
 * time for a layer is the median of its last {@link #WINDOW} samples, so one slow step (a GC, a
 * throttled period) moves nothing. Each time is a layer's intrinsic cost divided by the rank's
 * speed; both are found together by alternating (a few rounds): a layer's cost is the median over
 * the ranks holding it of time × speed, a rank's speed its layers' summed cost over its summed
 * time, speeds scaled so the fastest rank of each group that shares layers runs at 1 (fail-slow
 * is the exception, so the fastest is the healthy one). A layer nobody measured keeps the FLOP
 * estimate, scaled to the measured layers; a rank nobody measured runs at 1. Pure and
 * single-threaded.
 */
public final class CostTracker {
  /** Samples kept per rank and layer. */
  public static final int WINDOW = 5;
  private static final int ROUNDS = 8;

  private final Map<RankId, Map<Integer, Deque<Double>>> times = new TreeMap<>();
  private final Map<RankId, Map<Integer, Deque<Long>>> activations = new TreeMap<>();
  private int steps;

  /** Adds one step's samples (one per rank that reported). */
  public void addStep(List<RankSample> samples) {
    samples.forEach(this::add);
    if (!samples.isEmpty()) {
      steps++;
    }
  }

  /** A rank's layers changed or it left: what it measured before no longer describes it. */
  private void add(RankSample s) {
    Map<Integer, Deque<Double>> mine = times.computeIfAbsent(s.rank(), r -> new HashMap<>());
    mine.keySet().removeIf(l -> l < s.layerFrom() || l >= s.layerTo()); // layers it no longer holds
    Map<Integer, Deque<Long>> act = activations.computeIfAbsent(s.rank(), r -> new HashMap<>());
    act.keySet().removeIf(l -> l < s.layerFrom() || l >= s.layerTo());
    double[] ms = s.millisPerMicroBatch();
    long[] bytes = s.activationBytes();
    for (int i = 0; i < ms.length; i++) {
      Deque<Double> window = mine.computeIfAbsent(s.layerFrom() + i, l -> new ArrayDeque<>());
      window.addLast(ms[i]);
      while (window.size() > WINDOW) {
        window.removeFirst();
      }
      if (bytes[i] > 0) { // 0: the JVM could not count (every forward allocates its output)
        Deque<Long> seen = act.computeIfAbsent(s.layerFrom() + i, l -> new ArrayDeque<>());
        seen.addLast(bytes[i]);
        while (seen.size() > WINDOW) {
          seen.removeFirst(); // a one-off spike (a first use, a lazy init) ages out
        }
      }
    }
  }

  /** Forgets a rank that left the job. */
  public void forget(RankId rank) {
    times.remove(rank);
    activations.remove(rank);
  }

  /**
   * The estimate: measured layer costs and rank speeds where there are samples, {@code estimate}'s
   * costs (scaled) and {@code estimatedActivations} elsewhere, under {@code memoryCap}.
   */
  public Measurements measurements(ModelProfile estimate, long[] estimatedActivations, long memoryCap) {
    int layers = estimate.layerCount();
    Require.that(estimatedActivations.length == layers, "need one activation estimate per layer");
    Map<RankId, double[]> t = medians(layers);
    Map<RankId, Double> speed = new TreeMap<>();
    t.keySet().forEach(r -> speed.put(r, 1.0));
    List<List<RankId>> groups = components(t, layers);
    double[] cost;
    for (int round = 0; round < ROUNDS; round++) {
      cost = layerCosts(t, speed, layers);
      for (Map.Entry<RankId, double[]> e : t.entrySet()) {
        double c = 0;
        double time = 0;
        for (int l = 0; l < layers; l++) {
          if (!Double.isNaN(e.getValue()[l])) {
            c += cost[l];
            time += e.getValue()[l];
          }
        }
        speed.put(e.getKey(), time > 0 && c > 0 ? c / time : 1.0);
      }
      for (List<RankId> g : groups) { // the fastest rank of each group is the nominal one
        double top = g.stream().mapToDouble(speed::get).max().orElse(1.0);
        g.forEach(r -> speed.put(r, speed.get(r) / top));
      }
    }
    cost = layerCosts(t, speed, layers);
    double[] full = withEstimates(cost, estimate.layerCosts());
    long[] act = new long[layers];
    Arrays.fill(act, -1);
    activations.values().forEach(m -> m.forEach((l, w) -> w.forEach(b -> act[l] = Math.max(act[l], b)))); // largest recent
    for (int l = 0; l < layers; l++) {
      act[l] = act[l] < 0 ? estimatedActivations[l] : act[l];
    }
    return new Measurements(estimate.withCosts(full), t.isEmpty() ? Map.of() : speed, act, memoryCap,
        t.isEmpty() ? 0 : steps);
  }

  /**
   * Ranks linked by measuring a common layer. Times tell speeds apart only within such a group
   * (a layer's time is its cost over the speed, and only a shared layer separates the two);
   * each group's fastest rank is taken to run at 1. Between groups that leaves a slow rank
   * looking like heavy layers, which a partition treats the same way.
   */
  private static List<List<RankId>> components(Map<RankId, double[]> t, int layers) {
    List<RankId> ranks = new ArrayList<>(t.keySet());
    int[] parent = new int[ranks.size()];
    for (int i = 0; i < parent.length; i++) {
      parent[i] = i;
    }
    for (int l = 0; l < layers; l++) {
      int first = -1;
      for (int i = 0; i < ranks.size(); i++) {
        if (!Double.isNaN(t.get(ranks.get(i))[l])) {
          if (first < 0) {
            first = i;
          } else {
            parent[find(parent, i)] = find(parent, first);
          }
        }
      }
    }
    Map<Integer, List<RankId>> byRoot = new TreeMap<>();
    for (int i = 0; i < ranks.size(); i++) {
      byRoot.computeIfAbsent(find(parent, i), k -> new ArrayList<>()).add(ranks.get(i));
    }
    return List.copyOf(byRoot.values());
  }

  private static int find(int[] parent, int i) {
    while (parent[i] != i) {
      i = parent[i];
    }
    return i;
  }

  /** Per rank, the median time of each layer it measured (NaN where it has none). */
  private Map<RankId, double[]> medians(int layers) {
    Map<RankId, double[]> out = new TreeMap<>();
    times.forEach((rank, byLayer) -> {
      double[] m = new double[layers];
      Arrays.fill(m, Double.NaN);
      byLayer.forEach((l, w) -> {
        if (l < layers && !w.isEmpty()) {
          m[l] = median(w.stream().mapToDouble(Double::doubleValue).toArray());
        }
      });
      if (Arrays.stream(m).anyMatch(x -> !Double.isNaN(x))) {
        out.put(rank, m);
      }
    });
    return out;
  }

  /** Each layer's cost: the median over its measuring ranks of time × speed (NaN if nobody measured it). */
  private static double[] layerCosts(Map<RankId, double[]> t, Map<RankId, Double> speed, int layers) {
    double[] cost = new double[layers];
    for (int l = 0; l < layers; l++) {
      int layer = l;
      double[] scaled = t.entrySet().stream().filter(e -> !Double.isNaN(e.getValue()[layer]))
          .mapToDouble(e -> e.getValue()[layer] * speed.get(e.getKey())).toArray();
      cost[l] = scaled.length == 0 ? Double.NaN : median(scaled);
    }
    return cost;
  }

  /** Measured costs where there are any; elsewhere the estimate, scaled by measured / estimated over measured layers. */
  private static double[] withEstimates(double[] measured, double[] estimated) {
    double m = 0;
    double e = 0;
    for (int l = 0; l < measured.length; l++) {
      if (!Double.isNaN(measured[l])) {
        m += measured[l];
        e += estimated[l];
      }
    }
    double scale = m > 0 && e > 0 ? m / e : 1.0;
    double[] out = new double[measured.length];
    for (int l = 0; l < out.length; l++) {
      out[l] = Double.isNaN(measured[l]) ? estimated[l] * scale : measured[l];
    }
    return out;
  }

  static double median(double[] xs) {
    double[] s = xs.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }
}
