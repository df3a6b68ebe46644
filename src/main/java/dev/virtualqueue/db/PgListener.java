package dev.virtualqueue.db;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.pgclient.pubsub.PgSubscriber;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Postgres {@code LISTEN} that stays up: it connects, subscribes to one channel, probes the
 * connection every {@value #PROBE_MS} ms (a half-open connection would otherwise miss notifications
 * without noticing), and on any loss closes it and tries again {@value #RETRY_MS} ms later.
 *
 * <p>The owner hears three things, always on the context it passes in: {@code listening} each time a
 * LISTEN is in place (notifications sent while nobody listened are lost, so the owner reloads or
 * empties what it keeps), {@code notified} for each payload, and {@code lost} when the connection is
 * gone (its copy may be stale until the next {@code listening}).
 */
public final class PgListener {
  private static final Logger LOG = LoggerFactory.getLogger(PgListener.class);
  static final long PROBE_MS = 10_000;
  static final long PROBE_TIMEOUT_MS = 5_000;
  static final long RETRY_MS = 1_000;

  private final Vertx vertx;
  private final Context context;
  private final PgConnectOptions connect;
  private final String channel;
  private Handler<String> notified = payload -> { };
  private Runnable listeningHandler = () -> { };
  private Runnable lostHandler = () -> { };
  // the fields below are touched only on {@link #context}
  private PgSubscriber subscriber;
  private boolean listening;
  private boolean stopped;
  private long probeTimer = -1;

  private PgListener(Vertx vertx, Context context, PgConnectOptions connect, String channel, String name) {
    this.vertx = vertx;
    this.context = context;
    this.connect = new PgConnectOptions(connect).addProperty("application_name", name);
    this.channel = channel;
  }

  /**
   * A listener of {@code channel} whose callbacks run on {@code context}; {@code name} is the
   * connection's {@code application_name} (it shows in {@code pg_stat_activity}).
   */
  public static PgListener on(Vertx vertx, Context context, PgConnectOptions connect, String channel, String name) {
    return new PgListener(vertx, context, connect, channel, name);
  }

  /** Called with each notification's payload. */
  public PgListener notified(Handler<String> handler) {
    this.notified = handler;
    return this;
  }

  /** Called each time a LISTEN is in place, the first and every later one. */
  public PgListener listening(Runnable handler) {
    this.listeningHandler = handler;
    return this;
  }

  /** Called when a LISTEN that was in place (or being set up) is lost. */
  public PgListener lost(Runnable handler) {
    this.lostHandler = handler;
    return this;
  }

  public void start() {
    context.runOnContext(v -> subscribe());
  }

  public void stop() {
    context.runOnContext(v -> {
      stopped = true;
      listening = false;
      vertx.cancelTimer(probeTimer);
      if (subscriber != null) {
        subscriber.close();
        subscriber = null;
      }
    });
  }

  private void subscribe() {
    if (stopped) {
      return;
    }
    PgSubscriber s = PgSubscriber.subscriber(vertx, connect);
    subscriber = s;
    s.closeHandler(v -> context.runOnContext(x -> lost(s, "closed")));
    s.channel(channel)
        .handler(payload -> context.runOnContext(x -> {
          if (s == subscriber) {
            notified.handle(payload);
          }
        }))
        .subscribeHandler(v -> context.runOnContext(x -> {
          if (s == subscriber && !listening) {
            listening = true;
            LOG.info("listening on {}", channel);
            listeningHandler.run();
            probeLater(s);
          }
        }));
    s.connect().onFailure(t -> context.runOnContext(x -> lost(s, t.getMessage())));
  }

  private void lost(PgSubscriber s, String why) {
    if (s != subscriber) {
      return;
    }
    boolean was = listening;
    listening = false;
    subscriber = null;
    vertx.cancelTimer(probeTimer);
    s.close();
    if (stopped) {
      return;
    }
    if (was) {
      LOG.warn("LISTEN {}: connection lost ({}); retrying every {} ms", channel, why, RETRY_MS);
    }
    lostHandler.run();
    vertx.setTimer(RETRY_MS, t -> context.runOnContext(x -> subscribe()));
  }

  private void probeLater(PgSubscriber s) {
    probeTimer = vertx.setTimer(PROBE_MS, t -> context.runOnContext(x -> {
      PgConnection conn = s.actualConnection();
      if (s != subscriber || conn == null) {
        return;
      }
      conn.query("SELECT 1").execute().timeout(PROBE_TIMEOUT_MS, TimeUnit.MILLISECONDS)
          .onComplete(ar -> context.runOnContext(y -> {
            if (ar.succeeded()) {
              probeLater(s);
            } else {
              lost(s, "probe: " + ar.cause().getMessage());
            }
          }));
    }));
  }
}
