package dev.virtualqueue.auth;

import dev.virtualqueue.common.ApiException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brute-force protection of password sign-in, shared by every instance through Redis. Failures are
 * counted per account ((tenant slug, email), whether or not such an account exists, so a lock
 * tells nothing about existence) and per client address, in a 15-minute window. From the
 * {@link Policy#delayAfter}th failure each new one makes the key wait an exponentially growing
 * delay (429 {@code auth.throttled}); at {@link Policy#lockAfter} failures it is locked for 15
 * minutes (429 {@code auth.locked}). Both carry Retry-After and are answered before any bcrypt
 * work. A success clears the account's count (not the address's); an owner or admin can unlock.
 * Redis keys: {@code <prefix>:auth:fail:a:<sha256(slug, email)>}, {@code <prefix>:auth:fail:ip:<address>},
 * and the index of locked accounts {@code <prefix>:auth:locked}. When Redis fails the guard lets
 * the sign-in through (logged): bcrypt and the bounded password pool still bound the cost.
 */
final class LoginGuard {
  private static final Logger LOG = LoggerFactory.getLogger(LoginGuard.class);
  static final long WINDOW_MS = 15 * 60_000L;
  static final long LOCK_MS = 15 * 60_000L;
  static final long MAX_DELAY_MS = 60_000L;
  static final Policy ACCOUNT = new Policy(5, 10);
  /** Addresses may be shared (an office behind one NAT), so they get more room before a lock. */
  static final Policy ADDRESS = new Policy(20, 100);

  /** Failures in the window after which a delay starts, and at which the key is locked. */
  record Policy(int delayAfter, int lockAfter) {
  }

  /** KEYS: counter hash, locked index; ARGV: now, window, delayAfter, lockAfter, lockMs, maxDelay. Returns {n, until}. */
  static final String FAIL = """
      local now = tonumber(ARGV[1])
      local first = tonumber(redis.call('HGET', KEYS[1], 'first') or '0')
      local n = 0
      if now - first < tonumber(ARGV[2]) then
        n = tonumber(redis.call('HGET', KEYS[1], 'n') or '0')
      else
        redis.call('HSET', KEYS[1], 'first', now)
      end
      n = n + 1
      local untilMs = 0
      if n >= tonumber(ARGV[4]) then
        untilMs = now + tonumber(ARGV[5])
        if KEYS[2] ~= '' then redis.call('ZADD', KEYS[2], untilMs, KEYS[1]) end
      elseif n >= tonumber(ARGV[3]) then
        untilMs = now + math.min(tonumber(ARGV[6]), 1000 * 2 ^ (n - tonumber(ARGV[3])))
      end
      redis.call('HSET', KEYS[1], 'n', n, 'until', untilMs)
      redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]) + tonumber(ARGV[5]))
      return {n, untilMs}
      """;

  private final Redis redis;
  private final String prefix;
  /**
   * How long a sign-in waits for Redis before it goes on without the guard: a frozen Redis must not
   * hold every sign-in for the command timeout at each of its three steps.
   */
  static final long REDIS_DEADLINE_MS = 200;

  private final LongSupplier clock;
  private final Counter lockouts;
  private final AtomicLong locked = new AtomicLong();

  LoginGuard(Redis redis, String prefix, MeterRegistry registry, LongSupplier clock) {
    this.redis = redis;
    this.prefix = prefix;
    this.clock = clock;
    this.lockouts = Counter.builder("vq.auth.lockouts")
        .description("Accounts locked after too many failed sign-ins").register(registry);
    Gauge.builder("vq.auth.locked.accounts", locked, AtomicLong::get)
        .description("Accounts locked against sign-in right now (all instances, from Redis)").register(registry);
  }

  /** Refreshes the locked-accounts gauge every {@code periodMs} (drops expired entries from the index). */
  void start(Vertx vertx, long periodMs) {
    refreshGauge();
    vertx.setPeriodic(periodMs, id -> refreshGauge());
  }

  Future<Long> refreshGauge() {
    long now = clock.getAsLong();
    return redis.send(Request.cmd(Command.ZREMRANGEBYSCORE).arg(lockedIndex()).arg("-inf").arg(now))
        .compose(r -> redis.send(Request.cmd(Command.ZCARD).arg(lockedIndex())))
        .map(r -> {
          locked.set(r.toLong());
          return r.toLong();
        })
        .onFailure(t -> LOG.warn("could not count locked accounts: {}", t.getMessage()));
  }

  /** Fails with 429 when the account or the address must wait; succeeds otherwise (or when Redis fails). */
  Future<Void> check(String tenant, String email, String address) {
    List<Request> reads = List.of(
        Request.cmd(Command.HMGET).arg(accountKey(tenant, email)).arg("n").arg("until"),
        Request.cmd(Command.HMGET).arg(addressKey(address)).arg("n").arg("until"));
    return redis.batch(reads).timeout(REDIS_DEADLINE_MS, TimeUnit.MILLISECONDS).transform(ar -> {
      if (ar.failed()) {
        LOG.warn("sign-in lockout check skipped, Redis failed: {}", ar.cause().getMessage());
        return Future.succeededFuture();
      }
      long now = clock.getAsLong();
      refuseIfWaiting(ar.result().get(0), ACCOUNT, now);
      refuseIfWaiting(ar.result().get(1), ADDRESS, now);
      return Future.succeededFuture();
    });
  }

  private static void refuseIfWaiting(Response r, Policy policy, long now) {
    long n = r.get(0) == null ? 0 : r.get(0).toLong();
    long until = r.get(1) == null ? 0 : r.get(1).toLong();
    if (until > now) {
      int seconds = (int) Math.max(1, (until - now + 999) / 1000);
      throw n >= policy.lockAfter()
          ? new ApiException.TooManyRequests("auth.locked",
              "Too many failed sign-ins: sign-in is locked for now; try again later or ask an admin to unlock.", seconds)
          : new ApiException.TooManyRequests("auth.throttled",
              "Too many failed sign-ins: wait before trying again.", seconds);
    }
  }

  /** Counts a failed sign-in against the account and the address; true when this failure locked the account. */
  Future<Boolean> failed(String tenant, String email, String address) {
    long now = clock.getAsLong();
    return Future.all(fail(accountKey(tenant, email), lockedIndex(), ACCOUNT, now),
            fail(addressKey(address), "", ADDRESS, now))
        .timeout(REDIS_DEADLINE_MS, TimeUnit.MILLISECONDS)
        .map(all -> {
          Response account = all.resultAt(0);
          if (account.get(0).toLong() == ACCOUNT.lockAfter()) {
            lockouts.increment();
            locked.incrementAndGet();
            LOG.warn("sign-in locked for an account of tenant '{}' after {} failures", tenant, ACCOUNT.lockAfter());
            return true;
          }
          return false;
        })
        .otherwise(t -> {
          LOG.warn("could not count a failed sign-in: {}", t.getMessage());
          return false;
        });
  }

  private Future<Response> fail(String key, String index, Policy policy, long now) {
    return redis.send(Request.cmd(Command.EVAL).arg(FAIL).arg(2).arg(key).arg(index).arg(now).arg(WINDOW_MS)
        .arg(policy.delayAfter()).arg(policy.lockAfter()).arg(LOCK_MS).arg(MAX_DELAY_MS));
  }

  /** A successful sign-in: the account starts afresh. */
  Future<Void> succeeded(String tenant, String email) {
    return clear(tenant, email).timeout(REDIS_DEADLINE_MS, TimeUnit.MILLISECONDS).otherwise(t -> {
      LOG.warn("could not clear failed sign-ins: {}", t.getMessage());
      return null;
    });
  }

  /** Clears the account's failures and lock (unlock by an owner/admin). */
  Future<Void> clear(String tenant, String email) {
    String key = accountKey(tenant, email);
    return redis.batch(List.of(Request.cmd(Command.DEL).arg(key), Request.cmd(Command.ZREM).arg(lockedIndex()).arg(key)))
        .compose(r -> refreshGauge()).mapEmpty();
  }

  String accountKey(String tenant, String email) {
    return prefix + ":auth:fail:a:" + sha256(tenant.toLowerCase(Locale.ROOT) + "\n" + email.toLowerCase(Locale.ROOT));
  }

  String addressKey(String address) {
    return prefix + ":auth:fail:ip:" + address;
  }

  private String lockedIndex() {
    return prefix + ":auth:locked";
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
