package dev.virtualqueue.limit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the GCRA script in Redis (EVALSHA, EVAL once on NOSCRIPT), shared by every instance on the
 * same key prefix. When Redis fails or does not answer within {@code timeoutMillis}, every limiter
 * fails open to an in-process bucket of the same policy (per instance, so N instances allow up to
 * N times the limit while Redis is down): a crowd is not locked out, a flood still meets a limit.
 */
public final class RateLimiter {
  private static final Logger LOG = LoggerFactory.getLogger(RateLimiter.class);
  /** Beyond this many local buckets the fallback forgets them all (bounded memory under a spray). */
  private static final int LOCAL_MAX = 100_000;
  private static final String SHA = sha1(Gcra.SCRIPT);

  private final Redis redis;
  private final String prefix;
  private final long timeoutMillis;
  private final Map<String, long[]> local = new ConcurrentHashMap<>();
  private final Map<String, Counter> rejections = new ConcurrentHashMap<>();
  private final Map<String, Counter> errors = new ConcurrentHashMap<>();
  private final MeterRegistry registry;

  public RateLimiter(Redis redis, String keyPrefix, long timeoutMillis, MeterRegistry registry) {
    this.redis = redis;
    this.prefix = keyPrefix + ":rl:";
    this.timeoutMillis = timeoutMillis;
    this.registry = registry;
  }

  /** Registers the limiter's series at 0, so alerts on {@code increase()} see the first refusal. */
  public void register(Limit limit) {
    rejections.computeIfAbsent(limit.name(), n -> Counter.builder("vq.rate.limit.rejections")
        .description("Requests refused with 429 rate_limited, by limiter").tag("limiter", n).register(registry));
    errors.computeIfAbsent(limit.name(), n -> Counter.builder("vq.rate.limit.errors")
        .description("Rate-limit checks Redis could not answer in time (the in-process fallback decided), by limiter")
        .tag("limiter", n).register(registry));
  }

  /** Takes one request from {@code limit}'s bucket of {@code client}; never fails. */
  public Future<Decision> check(Limit limit, String client) {
    register(limit);
    String key = prefix + limit.name() + ":" + client;
    Request evalsha = args(Request.cmd(Command.EVALSHA).arg(SHA), key, limit);
    return redis.send(evalsha)
        .recover(t -> String.valueOf(t.getMessage()).contains("NOSCRIPT")
            ? redis.send(args(Request.cmd(Command.EVAL).arg(Gcra.SCRIPT), key, limit)) : Future.failedFuture(t))
        .timeout(timeoutMillis, TimeUnit.MILLISECONDS)
        .map(RateLimiter::decision)
        .otherwise(t -> {
          errors.get(limit.name()).increment();
          LOG.debug("rate limit {} falls back to the local bucket: {}", limit.name(), String.valueOf(t));
          return locally(limit, key);
        })
        .onSuccess(d -> {
          if (!d.allowed()) {
            rejections.get(limit.name()).increment();
          }
        });
  }

  /** Counts a refusal decided outside the buckets (the open-socket cap). */
  void rejected(String limiter) {
    rejections.get(limiter).increment();
  }

  private Decision locally(Limit limit, String key) {
    if (local.size() > LOCAL_MAX) {
      local.clear();
    }
    Decision[] out = new Decision[1];
    local.compute(key, (k, tat) -> {
      long[] next = new long[1];
      out[0] = Gcra.decide(System.currentTimeMillis(), tat == null ? 0 : tat[0], limit, next);
      return new long[] {next[0]};
    });
    return out[0];
  }

  private static Request args(Request r, String key, Limit limit) {
    return r.arg(1).arg(key).arg(limit.intervalMillis()).arg(limit.burst());
  }

  private static Decision decision(Response r) {
    return new Decision(r.get(0).toInteger() == 1, r.get(1).toLong(), r.get(2).toLong(), r.get(3).toLong());
  }

  private static String sha1(String script) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(script.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
