package dev.virtualqueue.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ApiKeyCacheTest {
  private final AtomicLong clock = new AtomicLong(1_000_000_000L);
  private final ApiKeyCache cache = new ApiKeyCache(clock::get);

  private static ApiKey key(String prefix) {
    return new ApiKey(UUID.randomUUID(), UUID.randomUUID(), "k", prefix, new byte[32], Role.AGENT, null,
        Instant.now(), null, null);
  }

  private void advanceSeconds(long s) {
    clock.addAndGet(TimeUnit.SECONDS.toNanos(s));
  }

  @Test
  void entriesExpireAfterTheTtl() {
    ApiKey k = key("aaaaaaaaaa");
    cache.put(k, cache.now());
    assertThat(cache.get("aaaaaaaaaa").key()).isSameAs(k);
    advanceSeconds(ApiKeyCache.TTL_SECONDS - 1);
    assertThat(cache.get("aaaaaaaaaa")).isNotNull();
    advanceSeconds(1);
    assertThat(cache.get("aaaaaaaaaa")).isNull();
  }

  @Test
  void aRevokeHereWinsImmediatelyEvenOverALookupThatWasInFlight() {
    ApiKey k = key("bbbbbbbbbb");
    cache.put(k, cache.now());
    long lookupStarted = cache.now();
    advanceSeconds(1);

    cache.revoked("bbbbbbbbbb");
    assertThat(cache.get("bbbbbbbbbb").key()).isNull();

    cache.put(k, lookupStarted); // the stale row read before the revoke arrives late
    assertThat(cache.get("bbbbbbbbbb").key()).isNull();

    advanceSeconds(1);
    cache.put(k, cache.now()); // a lookup that started after the revoke is trusted (it read the revoked row)
    assertThat(cache.get("bbbbbbbbbb").key()).isSameAs(k);
  }

  @Test
  void lastUsedIsWrittenAtMostOnceAMinute() {
    UUID id = UUID.randomUUID();
    assertThat(cache.dueForTouch(id)).isTrue();
    assertThat(cache.dueForTouch(id)).isFalse();
    advanceSeconds(ApiKeyCache.TOUCH_SECONDS - 1);
    assertThat(cache.dueForTouch(id)).isFalse();
    advanceSeconds(1);
    assertThat(cache.dueForTouch(id)).isTrue();
    assertThat(cache.dueForTouch(id)).isFalse();
    assertThat(cache.dueForTouch(UUID.randomUUID())).isTrue();
  }

  @Test
  void staysBounded() {
    for (int i = 0; i < ApiKeyCache.MAX_ENTRIES + 10; i++) {
      cache.put(key(String.format("%010d", i)), cache.now());
    }
    assertThat(cache.get(String.format("%010d", ApiKeyCache.MAX_ENTRIES + 9))).isNotNull();
    assertThat(cache.get("0000000000")).isNull();
  }
}
