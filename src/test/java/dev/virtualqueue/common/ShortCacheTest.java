package dev.virtualqueue.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ShortCacheTest {
  /** The cache's clock: starts far from zero (as System.nanoTime may) and moves only when told. */
  private final AtomicLong nanos = new AtomicLong(Long.MAX_VALUE - TimeUnit.SECONDS.toNanos(1));

  private void advanceMillis(long millis) {
    nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
  }

  private <K, V> ShortCache<K, V> cache(long ttlMillis) {
    return new ShortCache<>(ttlMillis, nanos::get);
  }

  @Test
  void missesWhileALoadIsInFlightShareIt() {
    ShortCache<String, Integer> cache = cache(60_000);
    AtomicInteger loads = new AtomicInteger();
    Promise<Integer> slow = Promise.promise();
    Future<Integer> a = cache.get("q", () -> {
      loads.incrementAndGet();
      return slow.future();
    });
    Future<Integer> b = cache.get("q", () -> {
      loads.incrementAndGet();
      return Future.succeededFuture(2);
    });
    assertThat(loads).hasValue(1);
    slow.complete(1);
    assertThat(a.result()).isEqualTo(1);
    assertThat(b.result()).isEqualTo(1);
    assertThat(cache.get("q", () -> Future.succeededFuture(3)).result()).isEqualTo(1);
  }

  @Test
  void aLoadThatNeverAnswersIsSharedOnlyForAFewSeconds() {
    ShortCache<String, Integer> cache = cache(60_000);
    Promise<Integer> stuck = Promise.promise();
    Future<Integer> first = cache.get("q", stuck::future);
    assertThat(cache.get("q", () -> Future.succeededFuture(2))).isSameAs(first);
    advanceMillis(ShortCache.SHARE_MILLIS - 1);
    assertThat(cache.get("q", () -> Future.succeededFuture(2))).isSameAs(first);
    advanceMillis(1);
    assertThat(cache.get("q", () -> Future.succeededFuture(3)).result()).isEqualTo(3);
    // the fresh value is what later callers get, and the stuck load answering late changes nothing
    stuck.complete(1);
    assertThat(cache.get("q", () -> Future.succeededFuture(4)).result()).isEqualTo(3);
    assertThat(first.result()).isEqualTo(1);
  }

  @Test
  void expiredValuesAndFailedLoadsAreLoadedAgain() {
    ShortCache<String, Integer> cache = cache(20);
    assertThat(cache.get("q", () -> Future.succeededFuture(1)).result()).isEqualTo(1);
    advanceMillis(19);
    assertThat(cache.get("q", () -> Future.succeededFuture(9)).result()).isEqualTo(1);
    advanceMillis(1);
    assertThat(cache.get("q", () -> Future.succeededFuture(2)).result()).isEqualTo(2);

    assertThat(cache.get("broken", () -> Future.failedFuture("down")).failed()).isTrue();
    assertThat(cache.get("broken", () -> Future.succeededFuture(5)).result()).isEqualTo(5);
  }

  @Test
  void invalidationForgetsTheValue() {
    ShortCache<String, Integer> cache = cache(60_000);
    cache.get("a", () -> Future.succeededFuture(1));
    cache.get("b", () -> Future.succeededFuture(10));
    cache.invalidate("a");
    cache.invalidateIf(v -> v == 10);
    assertThat(cache.get("a", () -> Future.succeededFuture(2)).result()).isEqualTo(2);
    assertThat(cache.get("b", () -> Future.succeededFuture(11)).result()).isEqualTo(11);
  }
}
