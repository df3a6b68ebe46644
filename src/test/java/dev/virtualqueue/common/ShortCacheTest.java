package dev.virtualqueue.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ShortCacheTest {

  @Test
  void missesWhileALoadIsInFlightShareIt() {
    ShortCache<String, Integer> cache = new ShortCache<>(60_000);
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
  void aLoadThatNeverAnswersIsSharedOnlyForAFewSeconds() throws Exception {
    ShortCache<String, Integer> cache = new ShortCache<>(60_000);
    Promise<Integer> stuck = Promise.promise();
    Future<Integer> first = cache.get("q", stuck::future);
    assertThat(cache.get("q", () -> Future.succeededFuture(2))).isSameAs(first);
    Thread.sleep(ShortCache.SHARE_MILLIS + 50);
    assertThat(cache.get("q", () -> Future.succeededFuture(3)).result()).isEqualTo(3);
    // the fresh value is what later callers get, and the stuck load answering late changes nothing
    stuck.complete(1);
    assertThat(cache.get("q", () -> Future.succeededFuture(4)).result()).isEqualTo(3);
    assertThat(first.result()).isEqualTo(1);
  }

  @Test
  void expiredValuesAndFailedLoadsAreLoadedAgain() throws Exception {
    ShortCache<String, Integer> cache = new ShortCache<>(20);
    assertThat(cache.get("q", () -> Future.succeededFuture(1)).result()).isEqualTo(1);
    Thread.sleep(30);
    assertThat(cache.get("q", () -> Future.succeededFuture(2)).result()).isEqualTo(2);

    assertThat(cache.get("broken", () -> Future.failedFuture("down")).failed()).isTrue();
    assertThat(cache.get("broken", () -> Future.succeededFuture(5)).result()).isEqualTo(5);
  }

  @Test
  void invalidationForgetsTheValue() {
    ShortCache<String, Integer> cache = new ShortCache<>(60_000);
    cache.get("a", () -> Future.succeededFuture(1));
    cache.get("b", () -> Future.succeededFuture(10));
    cache.invalidate("a");
    cache.invalidateIf(v -> v == 10);
    assertThat(cache.get("a", () -> Future.succeededFuture(2)).result()).isEqualTo(2);
    assertThat(cache.get("b", () -> Future.succeededFuture(11)).result()).isEqualTo(11);
  }
}
