package dev.virtualqueue.auth;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.pgclient.pubsub.PgSubscriber;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells this server's {@link ApiKeyCache} at once when any server (or an operator's SQL) revokes,
 * re-roles or deletes an API key: a trigger NOTIFYs channel {@value #CHANNEL} with the key's prefix
 * at commit, and this LISTENs (the pattern of events/WebhookInterest). While the LISTEN connection
 * is down, or has not answered a probe within {@value #PROBE_TIMEOUT_MS} ms, the cache is not
 * trusted: every request looks its key up in Postgres until the connection is back.
 */
final class ApiKeyRevocations {
  static final String CHANNEL = "vq_api_keys";
  private static final Logger LOG = LoggerFactory.getLogger(ApiKeyRevocations.class);
  private static final long PROBE_MS = 10_000;
  private static final long PROBE_TIMEOUT_MS = 5_000;
  private static final long RETRY_MS = 1_000;

  private final Vertx vertx;
  private final Context context;
  private final ApiKeyCache cache;
  private final PgConnectOptions connect;
  // touched only on {@link #context}
  private PgSubscriber subscriber;
  private boolean stopped;
  private long probeTimer = -1;

  ApiKeyRevocations(Vertx vertx, ApiKeyCache cache, PgConnectOptions connect) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.cache = cache;
    this.connect = new PgConnectOptions(connect).addProperty("application_name", "vq-api-key-revocations");
  }

  void start() {
    context.runOnContext(v -> subscribe());
  }

  void stop() {
    context.runOnContext(v -> {
      stopped = true;
      vertx.cancelTimer(probeTimer);
      if (subscriber != null) {
        subscriber.close();
      }
    });
  }

  private void subscribe() {
    if (stopped) {
      return;
    }
    PgSubscriber s = PgSubscriber.subscriber(vertx, connect);
    subscriber = s;
    s.closeHandler(v -> lost(s, "closed"));
    s.channel(CHANNEL)
        .handler(cache::revoked)
        .subscribeHandler(v -> {
          if (s == subscriber) {
            // changes made while nobody listened are unknown: start from an empty cache
            cache.trust(true);
            LOG.info("API key revocations: listening on {}", CHANNEL);
            probeLater(s);
          }
        });
    s.connect().onFailure(t -> lost(s, t.getMessage()));
  }

  private void lost(PgSubscriber s, String why) {
    if (s != subscriber) {
      return;
    }
    boolean was = cache.trusted();
    cache.trust(false);
    subscriber = null;
    vertx.cancelTimer(probeTimer);
    s.close();
    if (stopped) {
      return;
    }
    if (was) {
      LOG.warn("API key revocations: LISTEN connection lost ({}); every API key is looked up until it is back", why);
    }
    vertx.setTimer(RETRY_MS, t -> subscribe());
  }

  private void probeLater(PgSubscriber s) {
    probeTimer = vertx.setTimer(PROBE_MS, t -> {
      PgConnection conn = s.actualConnection();
      if (s != subscriber || conn == null) {
        return;
      }
      conn.query("SELECT 1").execute().timeout(PROBE_TIMEOUT_MS, TimeUnit.MILLISECONDS).onComplete(ar -> {
        if (ar.succeeded()) {
          probeLater(s);
        } else {
          lost(s, "probe: " + ar.cause().getMessage());
        }
      });
    });
  }
}
