package dev.virtualqueue.auth;

import dev.virtualqueue.db.PgListener;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;

/**
 * Tells this server's {@link ApiKeyCache} at once when any server (or an operator's SQL) revokes,
 * re-roles or deletes an API key: a trigger NOTIFYs channel {@value #CHANNEL} with the key's prefix
 * at commit, and this LISTENs ({@link PgListener}). While the LISTEN connection is down, or has
 * failed its probe, the cache is not trusted: every request looks its key up in Postgres until the
 * connection is back, and then the cache starts empty.
 */
final class ApiKeyRevocations {
  static final String CHANNEL = "vq_api_keys";

  private final PgListener listener;

  ApiKeyRevocations(Vertx vertx, ApiKeyCache cache, PgConnectOptions connect) {
    this.listener = PgListener.on(vertx, vertx.getOrCreateContext(), connect, CHANNEL, "vq-api-key-revocations")
        .notified(cache::revoked)
        // changes made while nobody listened are unknown: start from an empty cache
        .listening(() -> cache.trust(true))
        .lost(() -> cache.trust(false));
  }

  void start() {
    listener.start();
  }

  void stop() {
    listener.stop();
  }
}
