package dev.virtualqueue.line;

import dev.virtualqueue.events.EventPublisher;
import dev.virtualqueue.metrics.BusinessMetrics;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;

/**
 * The Redis side of the waiting lines, wired: the store, its rebuild from Postgres (read through
 * {@link WaitingTickets}), the mirror the features use, and presence.
 */
public final class LineModule {
  private final LineKeys keys;
  private final LineStore store;
  private final LineRebuilder rebuilder;
  private final LineMirror mirror;
  private final PresenceStore presence;

  /** {@code presentSeconds}: how long a holder's presence lasts without a heartbeat. */
  public LineModule(Vertx vertx, Redis redis, LineKeys keys, WaitingTickets waiting, EventPublisher events,
                    BusinessMetrics metrics, int presentSeconds) {
    this.keys = keys;
    this.store = new LineStore(redis, keys);
    this.rebuilder = new LineRebuilder(vertx, store, waiting, metrics, events);
    this.mirror = new LineMirror(store, rebuilder);
    this.presence = new PresenceStore(store, presentSeconds);
  }

  public LineKeys keys() {
    return keys;
  }

  /** The store itself: readiness for health checks (and tests reaching below the mirror). */
  public LineStore store() {
    return store;
  }

  /** Start-up rebuild, housekeeping's watch and repair. */
  public LineRebuilder rebuilder() {
    return rebuilder;
  }

  /** What the features read and write. */
  public LineMirror mirror() {
    return mirror;
  }

  public PresenceStore presence() {
    return presence;
  }
}
