package dev.virtualqueue.auth;

import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * In-process memory of looked-up API keys, so busy integrations do not cost a Postgres query per
 * request. An entry lives {@value #TTL_SECONDS} s; a revoke through this instance replaces it at
 * once with a tombstone that a lookup still in flight cannot overwrite. Other instances hear of a
 * revoke through {@link ApiKeyRevocations} (Postgres NOTIFY) and tombstone it the same way; while
 * that is not listening the cache is not {@linkplain #trusted() trusted} and answers nothing. Also rate-limits the {@code last_used_at} writes to one a minute per key.
 */
final class ApiKeyCache {
  static final long TTL_SECONDS = 30;
  static final long TOUCH_SECONDS = 60;
  static final int MAX_ENTRIES = 10_000;

  /** A cached row; a null {@code key} is a tombstone (revoked here). */
  record Entry(ApiKey key, long at) {
  }

  private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<UUID, Long> touched = new ConcurrentHashMap<>();
  private final LongSupplier nanos;
  private volatile boolean trusted = true;

  ApiKeyCache(LongSupplier nanos) {
    this.nanos = nanos;
  }

  ApiKeyCache() {
    this(System::nanoTime);
  }

  long now() {
    return nanos.getAsLong();
  }

  /**
   * Whether revocations of other instances reach this cache; when set false nothing is answered from
   * memory, and when set true again the cache starts empty (changes meanwhile were not heard).
   */
  void trust(boolean on) {
    if (on) {
      entries.values().removeIf(e -> e.key() != null);
    }
    trusted = on;
  }

  boolean trusted() {
    return trusted;
  }

  /** The fresh entry for a prefix, or null when a lookup is needed. */
  Entry get(String prefix) {
    if (!trusted) {
      return null;
    }
    Entry e = entries.get(prefix);
    return e != null && now() - e.at() < TimeUnit.SECONDS.toNanos(TTL_SECONDS) ? e : null;
  }

  /** Remembers a row loaded by a lookup that started at {@code loadStarted} (from {@link #now()}). */
  void put(ApiKey key, long loadStarted) {
    trim();
    long now = now();
    entries.compute(key.prefix(), (p, old) -> old != null && old.key() == null && old.at() >= loadStarted
        ? old : new Entry(key, now));
  }

  /** Forgets a key at once: it was revoked (through this instance, or another one told us). */
  void revoked(String prefix) {
    entries.put(prefix, new Entry(null, now()));
  }

  /** True at most once a minute per key: time to record {@code last_used_at}. */
  boolean dueForTouch(UUID id) {
    long now = now();
    Long last = touched.get(id);
    if (last != null && now - last < TimeUnit.SECONDS.toNanos(TOUCH_SECONDS)) {
      return false;
    }
    if (touched.size() >= MAX_ENTRIES) {
      touched.clear();
    }
    return last == null ? touched.putIfAbsent(id, now) == null : touched.replace(id, last, now);
  }

  private void trim() {
    if (entries.size() >= MAX_ENTRIES) {
      long ttl = TimeUnit.SECONDS.toNanos(TTL_SECONDS);
      long now = now();
      entries.values().removeIf(e -> now - e.at() >= ttl);
      if (entries.size() >= MAX_ENTRIES) {
        entries.clear();
      }
    }
  }
}
