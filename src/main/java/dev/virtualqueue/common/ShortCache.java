package dev.virtualqueue.common;

import io.vertx.core.Future;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Values trusted for a short time (settings read on every request). Concurrent misses of one key
 * share a single load: without that, every request arriving while a reload is slow (a busy
 * database) would start its own, and the extra load would make the reloads slower still.
 * A failed load is not kept, and a load still unanswered after {@link #SHARE_MILLIS} is no longer
 * shared: a load that never answers must hold up only the callers that came in its first seconds.
 */
public final class ShortCache<K, V> {
  private record Entry<V>(Future<V> value, long loadedAtNanos) {
  }

  /** How long callers keep joining a load in flight before the next one starts its own. */
  static final long SHARE_MILLIS = 2_000;

  private static final long SHARE_NANOS = TimeUnit.MILLISECONDS.toNanos(SHARE_MILLIS);

  private final Map<K, Entry<V>> entries = new ConcurrentHashMap<>();
  private final long ttlNanos;
  private final LongSupplier nanoTime;

  /** A cache on the system's monotonic clock. */
  public ShortCache(long ttlMillis) {
    this(ttlMillis, System::nanoTime);
  }

  /** A cache on the given clock ({@link System#nanoTime()} semantics: only differences count). */
  public ShortCache(long ttlMillis, LongSupplier nanoTime) {
    this.ttlNanos = TimeUnit.MILLISECONDS.toNanos(ttlMillis);
    this.nanoTime = nanoTime;
  }

  /** The cached value of {@code key}, or the load in flight for it, or a new load. */
  public Future<V> get(K key, Supplier<Future<V>> load) {
    long now = nanoTime.getAsLong();
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
    long age = now - e.loadedAtNanos();
    return e.value().isComplete() ? e.value().succeeded() && age < ttlNanos : age < SHARE_NANOS;
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
