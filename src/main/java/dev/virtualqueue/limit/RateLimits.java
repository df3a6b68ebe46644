package dev.virtualqueue.limit;

import dev.virtualqueue.config.AppConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The server's limiters (docs/rate-limits.md), shared by every verticle instance of a process;
 * the buckets live in Redis, so every process shares them too. The open-socket count per address
 * is held in this process (per instance: N instances allow N times {@code socketsPerAddress}).
 */
public final class RateLimits {
  public static final String JOIN = "join";
  public static final String TENANT_JOIN = "tenant_join";
  public static final String TICKET_READ = "ticket_read";
  public static final String LOGIN = "login";
  public static final String STAFF_WRITE = "staff_write";
  public static final String SOCKET = "socket";
  public static final String API_KEY = "api_key";
  public static final String SOCKETS_OPEN = "sockets_per_address";

  private final AppConfig.RateLimit cfg;
  private final RateLimiter limiter;
  private final ClientAddress addresses;
  private final Map<String, Limit> limits;
  private final Map<String, AtomicInteger> sockets = new ConcurrentHashMap<>();
  private final QueueJoinLimits queueLimits;

  public RateLimits(AppConfig.RateLimit cfg, Redis redis, String keyPrefix, MeterRegistry registry,
                    QueueJoinLimits queueLimits) {
    this.cfg = cfg;
    this.queueLimits = queueLimits;
    this.limiter = new RateLimiter(redis, keyPrefix, cfg.timeoutMillis(), registry);
    this.addresses = ClientAddress.of(cfg.trustedProxies());
    this.limits = Map.of(JOIN, limit(JOIN, cfg.join()), TENANT_JOIN, limit(TENANT_JOIN, cfg.tenantJoin()),
        TICKET_READ, limit(TICKET_READ, cfg.ticketRead()),
        LOGIN, limit(LOGIN, cfg.login()), STAFF_WRITE, limit(STAFF_WRITE, cfg.staffWrite()),
        SOCKET, limit(SOCKET, cfg.socket()), API_KEY, limit(API_KEY, cfg.apiKey()),
        SOCKETS_OPEN, new Limit(SOCKETS_OPEN, cfg.socketsPerAddress(), cfg.socketsPerAddress()));
    limits.values().forEach(limiter::register);
  }

  private static Limit limit(String name, AppConfig.Rate r) {
    return new Limit(name, r.burst(), r.perMinute());
  }

  public boolean enabled() {
    return cfg.enabled();
  }

  public Limit limit(String name) {
    return limits.get(name);
  }

  /** The join limit of the queue at these slugs, when it has one of its own (else null; never fails). */
  Future<QueueJoinLimits.Scoped> queueJoinLimit(String tenantSlug, String queueSlug) {
    return queueLimits.of(tenantSlug, queueSlug).otherwise((QueueJoinLimits.Scoped) null);
  }

  /** The address to count, from the socket peer and its X-Forwarded-For (believed only from a trusted proxy). */
  public String client(String peer, String forwardedFor) {
    return addresses.resolve(peer, forwardedFor);
  }

  /** Whether {@code peer} is a trusted proxy ({@code VQ_HTTP_TRUSTED_PROXIES}), whose X-Forwarded-* headers count. */
  public boolean fromTrustedProxy(String peer) {
    return addresses.trusts(peer);
  }

  /** Takes one request from the named limiter's bucket of {@code client}. Always allowed while disabled. */
  public Future<Decision> check(String name, String client) {
    if (!cfg.enabled()) {
      return Future.succeededFuture(new Decision(true, Long.MAX_VALUE, 0, 0));
    }
    return limiter.check(limits.get(name), client);
  }

  /**
   * Takes one request from the bucket of {@code client} under a policy of its own (a queue's
   * {@code joinLimit}), named like the limiter it replaces; {@code scope} keeps its buckets apart.
   */
  public Future<Decision> check(Limit own, String scope, String client) {
    if (!cfg.enabled()) {
      return Future.succeededFuture(new Decision(true, Long.MAX_VALUE, 0, 0));
    }
    return limiter.check(own, scope + ":" + client);
  }

  /** An API key's bucket name: a digest, so the key itself is never a Redis key. */
  static String keyId(String apiKey) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(apiKey.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Counts one more open socket of {@code client}; false (and nothing counted) at the cap. */
  public boolean openSocket(String client) {
    if (!cfg.enabled()) {
      return true;
    }
    AtomicInteger n = sockets.computeIfAbsent(client, c -> new AtomicInteger());
    if (n.incrementAndGet() > cfg.socketsPerAddress()) {
      n.decrementAndGet();
      limiter.rejected(SOCKETS_OPEN);
      return false;
    }
    return true;
  }

  /** Counts one socket of {@code client} closed (after {@link #openSocket} said true). */
  public void closeSocket(String client) {
    if (!cfg.enabled()) {
      return;
    }
    sockets.computeIfPresent(client, (c, n) -> n.decrementAndGet() <= 0 ? null : n);
  }
}
