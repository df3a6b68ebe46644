package dev.virtualqueue.live;

import dev.virtualqueue.config.AppConfig;
import dev.virtualqueue.counter.CounterService;
import dev.virtualqueue.events.DomainEvent;
import dev.virtualqueue.limit.RateLimits;
import dev.virtualqueue.line.LineModule;
import dev.virtualqueue.line.PresenceStore;
import dev.virtualqueue.queue.QueueService;
import dev.virtualqueue.ticket.TicketService;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;

/**
 * The process-wide parts of live updates (the subscription to the domain events that publishes them
 * on Redis, one Redis subscription to that channel, the shared line reads, the meters) and the
 * per-event-loop wiring of sockets into an HTTP server.
 */
public final class LiveModule {
  private final Vertx vertx;
  private final AppConfig.Live config;
  private final LiveEvents publisher;
  private final LiveSubscriber subscriber;
  private final LineOrders orders;
  private final LiveMetrics metrics;
  private final TicketService tickets;
  private final QueueService queues;
  private final PresenceStore presence;

  /** What live reads from the features: queues and open counters for the line order, tickets for views. */
  public record Features(QueueService queues, CounterService counters, TicketService tickets) {
  }

  public LiveModule(Vertx vertx, AppConfig config, Redis redis, RedisOptions redisOptions, LineModule line,
                    Features features, MeterRegistry registry) {
    this.vertx = vertx;
    this.config = config.live();
    this.publisher = new LiveEvents(redis, line.keys());
    this.subscriber = new LiveSubscriber(vertx, redisOptions, line.keys());
    this.orders = new LineOrders(line.mirror(), features.queues(), features.counters(), line.presence());
    this.metrics = new LiveMetrics(registry);
    this.tickets = features.tickets();
    this.queues = features.queues();
    this.presence = line.presence();
  }

  /** Subscriber of the event path: sends each committed change to every process's live sockets. */
  public void onEvent(DomainEvent event) {
    publisher.onEvent(event);
  }

  /** Starts the change-feed subscription. */
  public Future<Void> start() {
    return subscriber.start();
  }

  public Future<Void> stop() {
    return subscriber.close();
  }

  /**
   * Attaches live sockets to an HTTP server of the calling event loop; returns the registry to
   * shut down when the verticle stops.
   */
  public LiveRegistry attach(HttpServer server, RateLimits rateLimits) {
    LiveContext ctx = new LiveContext(vertx, vertx.getOrCreateContext(), orders, tickets, metrics,
        config.coalesceMillis(), presence);
    LiveRegistry registry = new LiveRegistry(ctx, config.pingSeconds() * 1000L);
    registry.start();
    SocketLimits limits = new SocketLimits(config.maxQueuedBytes(), config.slowConsumerSeconds() * 1000L);
    server.webSocketHandshakeHandler(new LiveSocketHandler(registry, tickets, queues, config.allowedOrigins(), metrics,
        limits, rateLimits));
    server.webSocketHandler(ws -> { });
    return registry;
  }
}
