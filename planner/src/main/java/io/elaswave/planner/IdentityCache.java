package io.elaswave.planner;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A value derived once from an immutable key object and remembered while the key lives: records
 * cannot carry a cache of their own, and at 10^5 ranks deriving afresh on every query made the
 * planner quadratic. Keyed by identity (a record's equality would hash every list), held weakly,
 * with the last key asked for checked first (a planner asks about one object many times in a row).
 */
public final class IdentityCache<K, V> {
  private final Function<K, V> derive;
  private final Map<Key<K>, V> cache = new HashMap<>();
  private final ReferenceQueue<K> gone = new ReferenceQueue<>();
  private volatile Last<K, V> last = new Last<>(new WeakReference<>(null), null);

  private record Last<K, V>(WeakReference<K> key, V value) {}

  /** {@code derive} must be pure, and its value must not reference the key (it would never be freed). */
  public IdentityCache(Function<K, V> derive) {
    this.derive = derive;
  }

  /** The value derived from {@code key}, derived now if this key was not asked for before. */
  public V get(K key) {
    Last<K, V> seen = last;
    if (seen.key().get() == key) {
      return seen.value();
    }
    V value;
    synchronized (cache) {
      for (Object k; (k = gone.poll()) != null; ) {
        cache.remove(k);
      }
      value = cache.get(new Key<>(key, null));
      if (value == null) {
        value = derive.apply(key);
        cache.put(new Key<>(key, gone), value);
      }
    }
    last = new Last<>(new WeakReference<>(key), value);
    return value;
  }

  /** A weak reference, equal only to a reference to the same instance. */
  private static final class Key<K> extends WeakReference<K> {
    private final int hash;

    Key(K key, ReferenceQueue<K> queue) {
      super(key, queue);
      hash = System.identityHashCode(key);
    }

    @Override public int hashCode() {
      return hash;
    }

    @Override public boolean equals(Object o) {
      if (this == o) {
        return true;
      }
      Object mine = get();
      return o instanceof Key<?> k && mine != null && mine == k.get();
    }
  }
}
