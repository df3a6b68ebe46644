package dev.virtualqueue.common;

import io.vertx.core.Future;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Values trusted for a short time (settings read on every request). Concurrent misses of one key
 * share a single load: without that, every request arriving while a reload is slow (a busy
 * database) would start its own, and the extra load would make the reloads slower still.
 * A failed load is not kept.
 */
public final class ShortCache<K, V> {
  private record Entry<V>(Future<V> value, long loadedAt) {
  }

  private final Map<K, Entry<V>> entries = new ConcurrentHashMap<>();
  private final long ttlMillis;

  public ShortCache(long ttlMillis) {
    this.ttlMillis = ttlMillis;
  }

  /** The cached value of {@code key}, or the load in flight for it, or a new load. */
  public Future<V> get(K key, Supplier<Future<V>> load) {
    long now = System.currentTimeMillis();
    Entry<V> e = entries.get(key);
    if (e != null && usable(e, now)) {
      return e.value();
    }
    Entry<V> current = entries.compute(key, (k, cur) -> cur != null && usable(cur, now) ? cur
        : new Entry<>(load.get(), now));
    current.value().onFailure(t -> entries.remove(key, current));
    return current.value();
  }

  private boolean usable(Entry<V> e, long now) {
    return !e.value().isComplete() || (e.value().succeeded() && now - e.loadedAt() < ttlMillis);
  }

  /** Forgets {@code key} (after a change made here). */
  public void invalidate(K key) {
    entries.remove(key);
  }

  /** Forgets every entry whose loaded value matches. */
  public void invalidateIf(Predicate<V> matches) {
    entries.values().removeIf(e -> e.value().succeeded() && matches.test(e.value().result()));
  }
}
