package dev.virtualqueue.live;

import dev.virtualqueue.common.Json;
import dev.virtualqueue.line.LineKeys;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Redis subscription per process; each message is republished on the local event bus so
 * every HTTP verticle instance (event loop) receives it. After a lost subscription it reconnects
 * with backoff and tells everyone to resynchronise.
 */
public final class LiveSubscriber {
  /** Local event-bus address carrying raw {@link LiveEvent} JSON. */
  public static final String ADDRESS = "vq.live.events";
  private static final Logger LOG = LoggerFactory.getLogger(LiveSubscriber.class);
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);

  private final Vertx vertx;
  private final Redis client;
  private final String channel;
  private RedisConnection connection;
  private boolean closed;
  private long backoff = 100;

  public LiveSubscriber(Vertx vertx, RedisOptions options, LineKeys keys) {
    this.vertx = vertx;
    // its own pool and client metric names: gauges registered twice under one name are dropped
    this.client = Redis.createClient(vertx, new RedisOptions(options).setMaxPoolSize(1).setPoolName("vq-redis-live")
        .setNetClientOptions(new NetClientOptions(options.getNetClientOptions()).setMetricsName("redis-live")));
    this.channel = keys.events();
  }

  /** Subscribes; completes once the first subscription is active (or failed). */
  public Future<Void> start() {
    return client.connect().compose(conn -> {
      connection = conn;
      backoff = 100;
      conn.handler(this::onMessage);
      conn.exceptionHandler(t -> LOG.warn("live subscription error: {}", t.getMessage()));
      conn.endHandler(v -> reconnect());
      return conn.send(Request.cmd(Command.SUBSCRIBE).arg(channel)).mapEmpty();
    });
  }

  private void onMessage(Response msg) {
    // push messages: ["message", channel, payload]
    if (msg.type() == ResponseType.PUSH && msg.size() == 3 && "message".equals(msg.get(0).toString())) {
      vertx.eventBus().publish(ADDRESS, msg.get(2).toString(), LOCAL);
    }
  }

  private void reconnect() {
    if (closed) {
      return;
    }
    LOG.warn("live subscription lost; reconnecting in {} ms", backoff);
    vertx.setTimer(backoff, id -> start()
        .onSuccess(v -> {
          LOG.info("live subscription restored; resynchronising all live views");
          vertx.eventBus().publish(ADDRESS, resync(), LOCAL);
        })
        .onFailure(t -> {
          backoff = Math.min(backoff * 2, 5_000);
          reconnect();
        }));
  }

  /** The local message asking every live queue to recompute. */
  static String resync() {
    return Json.write(LiveEvent.resync()).toString();
  }

  public Future<Void> close() {
    closed = true;
    return connection == null ? Future.succeededFuture() : connection.close();
  }
}
