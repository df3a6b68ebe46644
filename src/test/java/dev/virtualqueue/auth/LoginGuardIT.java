package dev.virtualqueue.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.virtualqueue.common.ApiException;
import dev.virtualqueue.testing.TestServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The sign-in lockout against the real Redis, with a clock the test moves. */
class LoginGuardIT {
  private final AtomicLong now = new AtomicLong(1_800_000_000_000L);
  private final String prefix = "vq-test-guard-" + UUID.randomUUID();
  private Vertx vertx;
  private SimpleMeterRegistry registry;
  private LoginGuard guard;
  private Redis redis;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    registry = new SimpleMeterRegistry();
    redis = Redis.createClient(vertx, TestServer.REDIS_URL);
    guard = new LoginGuard(redis, prefix, registry, now::get);
  }

  @AfterEach
  void stop() {
    redis.send(Request.cmd(Command.EVAL).arg("for _, k in ipairs(redis.call('KEYS', ARGV[1])) do redis.call('DEL', k) end")
        .arg(0).arg(prefix + ":*")).await();
    vertx.close().await();
  }

  private void fail(int times, String address) {
    for (int i = 0; i < times; i++) {
      guard.failed("acme", "ann@acme.test", address).await();
    }
  }

  private ApiException.TooManyRequests refusal(String tenant, String email, String address) {
    Throwable t = catchThrowable(() -> guard.check(tenant, email, address).await());
    assertThat(t).isInstanceOf(ApiException.TooManyRequests.class);
    return (ApiException.TooManyRequests) t;
  }

  @Test
  void fourFailuresCostNothingTheFifthStartsAnExponentialDelay() {
    fail(4, "10.0.0.1");
    guard.check("acme", "ann@acme.test", "10.0.0.1").await();

    fail(1, "10.0.0.1");
    ApiException.TooManyRequests first = refusal("ACME", "Ann@acme.test", "10.0.0.2");
    assertThat(first.code()).isEqualTo("auth.throttled");
    assertThat(first.retryAfterSeconds()).isEqualTo(1);

    now.addAndGet(1_000);
    guard.check("acme", "ann@acme.test", "10.0.0.1").await();
    fail(1, "10.0.0.1");
    assertThat(refusal("acme", "ann@acme.test", "10.0.0.1").retryAfterSeconds()).isEqualTo(2);
    fail(1, "10.0.0.1");
    assertThat(refusal("acme", "ann@acme.test", "10.0.0.1").retryAfterSeconds()).isEqualTo(4);
    // another account from another address is untouched
    guard.check("acme", "bob@acme.test", "10.0.0.9").await();
  }

  @Test
  void tenFailuresIn15MinutesLockFor15MinutesAndCount() {
    fail(10, "10.0.0.1");
    ApiException.TooManyRequests locked = refusal("acme", "ann@acme.test", "10.0.0.3");
    assertThat(locked.code()).isEqualTo("auth.locked");
    assertThat(locked.retryAfterSeconds()).isEqualTo(900);
    assertThat(registry.get("vq.auth.lockouts").counter().count()).isEqualTo(1.0);
    assertThat(guard.refreshGauge().await()).isEqualTo(1L);
    assertThat(registry.get("vq.auth.locked.accounts").gauge().value()).isEqualTo(1.0);

    now.addAndGet(LoginGuard.LOCK_MS + 1);
    assertThat(guard.refreshGauge().await()).isZero();
    guard.check("acme", "ann@acme.test", "10.0.0.3").await();
  }

  @Test
  void failuresOutsideTheWindowStartAfresh() {
    fail(4, "10.0.0.1");
    now.addAndGet(LoginGuard.WINDOW_MS + 1);
    fail(4, "10.0.0.1");
    guard.check("acme", "ann@acme.test", "10.0.0.1").await();
  }

  @Test
  void unlockAndSuccessClearTheAccountButNotTheAddress() {
    fail(10, "10.0.0.1");
    guard.clear("acme", "ann@acme.test").await();
    guard.check("acme", "ann@acme.test", "10.0.0.1").await();
    assertThat(guard.refreshGauge().await()).isZero();

    fail(5, "10.0.0.1");
    guard.succeeded("acme", "ann@acme.test").await();
    guard.check("acme", "ann@acme.test", "10.0.0.1").await();
  }

  @Test
  void oneAddressTryingManyAccountsIsThrottledToo() {
    for (int i = 0; i < LoginGuard.ADDRESS.delayAfter(); i++) {
      guard.failed("acme", "user" + i + "@acme.test", "10.9.9.9").await();
    }
    assertThat(refusal("acme", "fresh@acme.test", "10.9.9.9").code()).isEqualTo("auth.throttled");
    guard.check("acme", "fresh@acme.test", "10.9.9.8").await();
  }

  @Test
  void redisDownLetsTheSignInThrough() {
    LoginGuard offline = new LoginGuard(Redis.createClient(vertx, "redis://127.0.0.1:1"), prefix,
        new SimpleMeterRegistry(), now::get);
    offline.check("acme", "ann@acme.test", "10.0.0.1").await();
    offline.failed("acme", "ann@acme.test", "10.0.0.1").await();
    assertThatThrownBy(() -> offline.refreshGauge().await()).isNotNull();
  }
}
