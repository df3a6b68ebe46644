package dev.virtualqueue.housekeeping;

import dev.virtualqueue.Services;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Background upkeep: watches the Redis mirror (rebuilding it when Redis lost it), repairs drift,
 * and purges expired idempotency keys.
 */
public final class HousekeepingVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(HousekeepingVerticle.class);
  private static final long WATCH_MILLIS = 1_000;
  private static final long RECONCILE_MILLIS = 60_000;
  private static final long PURGE_MILLIS = 15 * 60_000;
  private static final long GRACE_MILLIS = 5_000;

  private final Services services;
  private long lastReconcile = System.currentTimeMillis();
  private boolean watching;

  public HousekeepingVerticle(Services services) {
    this.services = services;
  }

  @Override
  public Future<?> start() {
    vertx.setPeriodic(WATCH_MILLIS, id -> watchMirror());
    vertx.setPeriodic(GRACE_MILLIS, id -> services.calls().noShowAbsentAfterGrace()
        .onSuccess(n -> {
          if (n > 0) {
            LOG.info("{} called people absent past their grace marked no-show", n);
          }
        })
        .onFailure(t -> LOG.warn("absent no-show sweep failed: {}", t.getMessage())));
    vertx.setPeriodic(PURGE_MILLIS, id -> services.idempotency()
        .purge(services.config().idempotencyRetentionHours())
        .onSuccess(n -> LOG.debug("purged {} idempotency keys", n))
        .onFailure(t -> LOG.warn("idempotency purge failed: {}", t.getMessage())));
    return Future.succeededFuture();
  }

  private void watchMirror() {
    if (watching) {
      return;
    }
    watching = true;
    var rebuilder = services.rebuilder();
    boolean due = System.currentTimeMillis() - lastReconcile > RECONCILE_MILLIS;
    rebuilder.ensureReady()
        .compose(v -> {
          if (rebuilder.takeDirty() || due) {
            lastReconcile = System.currentTimeMillis();
            return rebuilder.reconcile();
          }
          return Future.succeededFuture();
        })
        .onFailure(t -> {
          rebuilder.markDirty();
          LOG.debug("line mirror check failed: {}", t.getMessage());
        })
        .onComplete(ar -> watching = false);
  }
}
