package dev.virtualqueue;

import dev.virtualqueue.auth.AuthModule;
import dev.virtualqueue.config.AppConfig;
import dev.virtualqueue.counter.CounterRepository;
import dev.virtualqueue.counter.CounterService;
import dev.virtualqueue.events.EventHub;
import dev.virtualqueue.line.LineKeys;
import dev.virtualqueue.line.LineMirror;
import dev.virtualqueue.line.LineRebuilder;
import dev.virtualqueue.line.LineStore;
import dev.virtualqueue.queue.QueueRepository;
import dev.virtualqueue.queue.QueueService;
import dev.virtualqueue.ticket.AfterCommit;
import dev.virtualqueue.ticket.CallService;
import dev.virtualqueue.ticket.IdempotencyStore;
import dev.virtualqueue.ticket.JoinService;
import dev.virtualqueue.ticket.Positions;
import dev.virtualqueue.ticket.TicketRepository;
import dev.virtualqueue.ticket.TicketService;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import dev.virtualqueue.line.PresenceStore;
import dev.virtualqueue.live.LiveEvents;
import dev.virtualqueue.live.LiveModule;
import dev.virtualqueue.metrics.BusinessMetrics;
import dev.virtualqueue.metrics.VerticleMetrics;
import dev.virtualqueue.ticket.EtaRecorder;
import io.vertx.sqlclient.Pool;

/** Every long-lived service, built once and shared by all verticle instances. */
public record Services(AppConfig config, Pool pool, Redis redis, PrometheusMeterRegistry registry, AuthModule auth,
                       QueueService queues, CounterService counters, LineStore line, LineRebuilder rebuilder,
                       JoinService joins, CallService calls, TicketService tickets, IdempotencyStore idempotency,
                       LiveModule live, BusinessMetrics metrics, VerticleMetrics verticles, EtaRecorder etas) {

  public static Services wire(Vertx vertx, AppConfig config, Pool pool, Redis redis, RedisOptions redisOptions,
                              PrometheusMeterRegistry registry, AuthModule auth) {
    BusinessMetrics metrics = new BusinessMetrics(registry, pool);
    EtaRecorder etas = new EtaRecorder(pool);
    LineKeys keys = new LineKeys(config.redis().keyPrefix());
    LiveEvents live = new LiveEvents(redis, keys);
    EventHub events = new EventHub().subscribe(live::onEvent).subscribe(metrics::onEvent);
    LineStore line = new LineStore(redis, keys);
    TicketRepository ticketRepo = new TicketRepository(pool);
    LineRebuilder rebuilder = new LineRebuilder(vertx, line, ticketRepo, metrics, events);
    QueueService queues = new QueueService(new QueueRepository(pool), events);
    CounterService counters = new CounterService(new CounterRepository(pool), queues, events);
    LineMirror mirror = new LineMirror(line, rebuilder);
    Positions positions = new Positions(mirror, queues, counters);
    IdempotencyStore idempotency = new IdempotencyStore(pool);
    AfterCommit after = new AfterCommit(mirror, events, metrics, etas);
    JoinService joins = new JoinService(pool, ticketRepo, idempotency, queues, mirror, positions, after);
    PresenceStore presence = new PresenceStore(line, config.live().pingSeconds() * 2 + 5);
    CallService calls = new CallService(pool, ticketRepo, queues, counters, mirror, presence, after);
    TicketService tickets = new TicketService(pool, ticketRepo, queues, positions, calls, mirror);
    LiveModule liveModule = new LiveModule(vertx, config, redisOptions, mirror, queues, counters, tickets,
        registry, presence);
    return new Services(config, pool, redis, registry, auth, queues, counters, line, rebuilder, joins, calls,
        tickets, idempotency, liveModule, metrics, new VerticleMetrics(registry), etas);
  }
}
