package dev.virtualqueue.queue;

import dev.virtualqueue.limit.Limit;
import dev.virtualqueue.limit.QueueJoinLimits;
import dev.virtualqueue.limit.RateLimits;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queues that have a join limit of their own, held in memory by tenant and queue slug, so the
 * limiter in front of every join asks no database: a flood of joins to made-up slugs costs nothing
 * before it meets a limit. Reloaded every few seconds (a change on another server applies within
 * that) and at once after a change on this one.
 */
public final class JoinLimitDirectory implements QueueJoinLimits {
  private static final Logger LOG = LoggerFactory.getLogger(JoinLimitDirectory.class);
  static final long RELOAD_MILLIS = 5_000;

  private final QueueRepository repo;
  private volatile Map<String, Scoped> byPath = Map.of();
  /** Loads started, and the newest one applied: a slow older load never overwrites a newer one. */
  private final AtomicLong started = new AtomicLong();
  private long applied;

  JoinLimitDirectory(QueueRepository repo) {
    this.repo = repo;
  }

  /** Loads the limits now and every {@link #RELOAD_MILLIS}; a failed load keeps the last ones. */
  public Future<Void> start(Vertx vertx) {
    vertx.setPeriodic(RELOAD_MILLIS, id -> reload());
    return reload().otherwiseEmpty();
  }

  Future<Void> reload() {
    long load = started.incrementAndGet();
    return repo.joinLimits().map(rows -> {
      synchronized (this) {
        if (load > applied) {
          applied = load;
          byPath = Map.copyOf(rows);
        }
      }
      return (Void) null;
    }).onFailure(t -> LOG.warn("queue join limits not reloaded (the last ones stay): {}", t.getMessage()));
  }

  @Override
  public Future<Scoped> of(String tenantSlug, String queueSlug) {
    return Future.succeededFuture(byPath.get(key(tenantSlug, queueSlug)));
  }

  static String key(String tenantSlug, String queueSlug) {
    return tenantSlug + "/" + queueSlug;
  }

  /** The limiter's form of a queue's limit: named {@code join}, its buckets scoped by the queue's id. */
  static Scoped scoped(String queueId, JoinLimit own) {
    return new Scoped(queueId, new Limit(RateLimits.JOIN, own.burst(), own.perMinute()));
  }
}
