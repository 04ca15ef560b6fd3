package io.elaswave.planner;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A layout's stages by rank and holders by layer, built once per instance and remembered while the layout lives.
 * Layouts are immutable records, which cannot carry a cache of their own; at 10^5 ranks a
 * scan per lookup made a re-plan quadratic. Keyed by identity (a record's equality would hash
 * every list), held weakly, so an index goes with its layout.
 */
final class LayoutIndex {
  private static final Map<Key, LayoutIndex> CACHE = new HashMap<>();
  private static final ReferenceQueue<Layout> GONE = new ReferenceQueue<>();

  private final Map<RankId, StageAssignment> stageByRank;
  private final List<List<RankId>> holdersByLayer;

  private LayoutIndex(List<StageAssignment> stages, int layers) {
    stageByRank = new HashMap<>(stages.size() * 2);
    List<List<RankId>> holders = new java.util.ArrayList<>();
    for (int l = 0; l < layers; l++) {
      holders.add(new java.util.ArrayList<>());
    }
    for (StageAssignment s : stages) { // in pipeline order: each layer's holders by replica
      stageByRank.putIfAbsent(s.rank(), s);
      for (int l = Math.max(0, s.layerFrom()); l < Math.min(layers, s.layerTo()); l++) {
        holders.get(l).add(s.rank());
      }
    }
    holdersByLayer = holders.stream().map(List::copyOf).toList();
  }

  /** The last index asked for: a planner asks about one layout many times in a row. */
  private static volatile Last last = new Last(new WeakReference<>(null), null);

  private record Last(WeakReference<Layout> layout, LayoutIndex index) {}

  static LayoutIndex of(Layout layout) {
    Last seen = last;
    if (seen.layout().get() == layout) {
      return seen.index();
    }
    LayoutIndex index = cached(layout);
    last = new Last(new WeakReference<>(layout), index);
    return index;
  }

  private static LayoutIndex cached(Layout layout) {
    synchronized (CACHE) {
      for (Object k; (k = GONE.poll()) != null; ) {
        CACHE.remove(k);
      }
      LayoutIndex index = CACHE.get(new Key(layout, null));
      if (index == null) {
        index = new LayoutIndex(layout.stages(), layout.layerCount());
        CACHE.put(new Key(layout, GONE), index);
      }
      return index;
    }
  }

  /** The ranks holding {@code layer}, by replica. */
  List<RankId> holdersOf(int layer) {
    return holdersByLayer.get(layer);
  }

  /** The stage {@code rank} runs, or null. */
  StageAssignment stageOf(RankId rank) {
    return stageByRank.get(rank);
  }

  /** A weak reference to a layout, equal only to a reference to the same instance. */
  private static final class Key extends WeakReference<Layout> {
    private final int hash;

    Key(Layout layout, ReferenceQueue<Layout> queue) {
      super(layout, queue);
      hash = System.identityHashCode(layout);
    }

    @Override public int hashCode() {
      return hash;
    }

    @Override public boolean equals(Object o) {
      if (this == o) {
        return true;
      }
      Object mine = get();
      return o instanceof Key k && mine != null && mine == k.get();
    }
  }
}
