package dev.virtualqueue.loadtest;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAccumulator;

/**
 * A histogram of delays in whole milliseconds, safe to feed from every Gatling thread at once: one
 * counter per millisecond up to a minute (later ones count in the last bucket; the true maximum is
 * kept apart). A load test records hundreds of thousands of message delays; a sorted list of them
 * would cost more memory than the sockets.
 */
public final class Lags {
  private static final int BUCKETS = 60_001;
  private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
  private final LongAccumulator max = new LongAccumulator(Math::max, Long.MIN_VALUE);

  /** Records one delay (negative ones, a clock read a hair apart on the same machine, count as 0). */
  public void add(long millis) {
    counts.incrementAndGet((int) Math.min(BUCKETS - 1, Math.max(0, millis)));
    max.accumulate(millis);
  }

  public long count() {
    long n = 0;
    for (int i = 0; i < BUCKETS; i++) {
      n += counts.get(i);
    }
    return n;
  }

  /** How many delays were longer than {@code millis}. */
  public long over(long millis) {
    long n = 0;
    for (int i = (int) Math.min(BUCKETS - 1, Math.max(0, millis + 1)); i < BUCKETS; i++) {
      n += counts.get(i);
    }
    return n;
  }

  /** The {@code p}th percentile (0-100) in ms: the smallest delay that many are at or under; -1 when empty. */
  public long percentile(double p) {
    long total = count();
    if (total == 0) {
      return -1;
    }
    long rank = Math.max(1, (long) Math.ceil(total * p / 100.0));
    long seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
      seen += counts.get(i);
      if (seen >= rank) {
        return i == BUCKETS - 1 ? max() : i;
      }
    }
    return max();
  }

  /** The longest delay recorded; -1 when empty. */
  public long max() {
    long m = max.get();
    return m == Long.MIN_VALUE ? -1 : m;
  }

  /** {@code n=…, p50/p95/p99/max=… ms} for the summary lines. */
  public String summary() {
    return String.format("n=%d, p50/p95/p99/max = %d/%d/%d/%d ms", count(), percentile(50), percentile(95),
        percentile(99), max());
  }
}
