package dev.virtualqueue.housekeeping;

import dev.virtualqueue.audit.AuditLog;
import dev.virtualqueue.line.LineRebuilder;
import dev.virtualqueue.metrics.BusinessMetrics;
import dev.virtualqueue.metrics.VerticleMetrics;
import dev.virtualqueue.ticket.TicketModule;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Background upkeep: watches the Redis mirror (rebuilding it when Redis lost it), repairs drift,
 * purges expired idempotency keys, sessions and audit entries past their retention, writes promised ETAs and refreshes the queue gauges. Each task
 * is timed as a unit of work of this verticle ({@code vq_verticle_handler_seconds}).
 */
public final class HousekeepingVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(HousekeepingVerticle.class);
  private static final String NAME = "housekeeping";
  private static final long WATCH_MILLIS = 1_000;
  private static final long RECONCILE_MILLIS = 60_000;
  private static final long PURGE_MILLIS = 15 * 60_000;
  private static final long GRACE_MILLIS = 5_000;
  private static final long ETA_FLUSH_MILLIS = 1_000;
  /** Queue gauges are read from Postgres this often (docs/metrics.md). */
  private static final long GAUGE_REFRESH_MILLIS = 15_000;

  private final TicketModule tickets;
  private final LineRebuilder rebuilder;
  private final BusinessMetrics metrics;
  private final VerticleMetrics verticles;
  private final Retention retention;
  private long lastReconcile = System.currentTimeMillis();
  private boolean watching;

  public HousekeepingVerticle(TicketModule tickets, LineRebuilder rebuilder, BusinessMetrics metrics,
                              VerticleMetrics verticles, Retention retention) {
    this.tickets = tickets;
    this.rebuilder = rebuilder;
    this.metrics = metrics;
    this.verticles = verticles;
    this.retention = retention;
  }

  /**
   * What the periodic purges delete: idempotency keys after hours, audit entries after days, and
   * (through {@code sessions}) expired or revoked sign-in sessions and spent password links.
   */
  public record Retention(int idempotencyHours, AuditLog audit, int auditDays, Supplier<Future<Long>> sessions) {
  }

  @Override
  public Future<?> start() {
    vertx.setPeriodic(WATCH_MILLIS, id -> watchMirror());
    vertx.setPeriodic(GRACE_MILLIS, id -> timed(() -> tickets.calls().noShowAbsentAfterGrace()
        .onSuccess(n -> {
          if (n > 0) {
            LOG.info("{} called people absent past their grace marked no-show", n);
          }
        })
        .onFailure(t -> LOG.warn("absent no-show sweep failed: {}", t.getMessage()))));
    vertx.setPeriodic(PURGE_MILLIS, id -> timed(() -> tickets.idempotency()
        .purge(retention.idempotencyHours())
        .onSuccess(n -> LOG.debug("purged {} idempotency keys", n))
        .onFailure(t -> LOG.warn("idempotency purge failed: {}", t.getMessage()))));
    vertx.setPeriodic(PURGE_MILLIS, id -> timed(() -> retention.audit().purge(retention.auditDays())
        .onSuccess(n -> {
          if (n > 0) {
            LOG.info("purged {} audit entries older than {} days (chains re-anchored)", n, retention.auditDays());
          }
        })
        .onFailure(t -> LOG.warn("audit purge failed: {}", t.getMessage()))));
    vertx.setPeriodic(PURGE_MILLIS, id -> timed(() -> retention.sessions().get()
        .onSuccess(n -> LOG.debug("purged {} expired or revoked sessions and password links", n))
        .onFailure(t -> LOG.warn("session purge failed: {}", t.getMessage()))));
    vertx.setPeriodic(ETA_FLUSH_MILLIS, id -> timed(() -> tickets.etas().flush()
        .onFailure(t -> LOG.debug("writing promised ETAs failed: {}", t.getMessage()))));
    vertx.setPeriodic(1, GAUGE_REFRESH_MILLIS, id -> timed(() -> metrics.refresh()
        .onFailure(t -> LOG.warn("queue gauge refresh failed: {}", t.getMessage()))));
    return Future.succeededFuture();
  }

  private void watchMirror() {
    if (watching) {
      return;
    }
    watching = true;
    boolean due = System.currentTimeMillis() - lastReconcile > RECONCILE_MILLIS;
    timed(() -> rebuilder.ensureReady()
        .onComplete(ar -> metrics.mirrorReady(ar.succeeded()))
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
        .onComplete(ar -> watching = false));
  }

  private <T> void timed(Supplier<Future<T>> task) {
    long start = System.nanoTime();
    verticles.time(NAME, task.get(), start);
  }
}
