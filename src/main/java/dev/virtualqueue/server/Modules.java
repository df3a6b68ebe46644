package dev.virtualqueue.server;

import dev.virtualqueue.admission.AdmissionModule;
import dev.virtualqueue.auth.AuthModule;
import dev.virtualqueue.config.AppConfig;
import dev.virtualqueue.config.ServerKey;
import dev.virtualqueue.counter.CounterModule;
import dev.virtualqueue.db.Database;
import dev.virtualqueue.events.EventHub;
import dev.virtualqueue.events.WebhookInterest;
import dev.virtualqueue.limit.RateLimits;
import dev.virtualqueue.line.LineKeys;
import dev.virtualqueue.line.LineModule;
import dev.virtualqueue.live.LiveModule;
import dev.virtualqueue.metrics.BusinessMetrics;
import dev.virtualqueue.metrics.VerticleMetrics;
import dev.virtualqueue.notify.NotifyModule;
import dev.virtualqueue.queue.QueueModule;
import dev.virtualqueue.ticket.MailCapability;
import dev.virtualqueue.ticket.TicketModule;
import dev.virtualqueue.ticket.TicketRepository;
import dev.virtualqueue.webhook.WebhookModule;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.sqlclient.Pool;

/**
 * The feature modules of one server process, wired once in dependency order (lower rooms first)
 * and shared by every verticle instance. Only {@link App} holds them all; each verticle is handed
 * the parts it uses.
 */
public record Modules(AppConfig config, Pool pool, Redis redis, ServerKey serverKey, Telemetry meters, AuthModule auth,
                      LineModule line, QueueModule queues, CounterModule counters, TicketModule tickets,
                      LiveModule live, WebhookModule webhooks, NotifyModule notifications, AdmissionModule admission,
                      RateLimits limits) {

  /** The process's meters: the registry, the business meters and the per-verticle meters. */
  public record Telemetry(PrometheusMeterRegistry registry, BusinessMetrics business, VerticleMetrics verticles) {
  }

  /** The stores and the meter registry the modules are built on. */
  record Stores(Pool pool, Redis redis, RedisOptions redisOptions, PrometheusMeterRegistry registry,
                ServerKey serverKey) {
  }

  static Modules wire(Vertx vertx, AppConfig config, Stores stores, AuthModule auth) {
    Telemetry meters = new Telemetry(stores.registry(), new BusinessMetrics(stores.registry(), stores.pool()),
        new VerticleMetrics(stores.registry()));
    auth.audit().metrics().bind(stores.registry());
    auth.crossTenant().use(new TenantIds(stores.pool()));
    EventHub events = new EventHub().subscribe(meters.business()::onEvent);
    WebhookInterest interest = new WebhookInterest(vertx, stores.pool(), Database.connectOptions(config.pg()));
    TicketRepository ticketRepo = new TicketRepository(stores.pool(), config.mail().enabled(), interest);
    LineModule line = new LineModule(vertx, stores.redis(), new LineKeys(config.redis().keyPrefix()), ticketRepo,
        events, meters.business(), config.live().pingSeconds() * 2 + 5);
    QueueModule queues = new QueueModule(stores.pool(), events, line.mirror(), config.mail().enabled());
    CounterModule counters = new CounterModule(stores.pool(), queues.queues(), events);
    TicketModule tickets = new TicketModule(ticketRepo, new MailCapability(stores.serverKey().derive("mail-live")),
        queues.queues(), counters.counters(), line, events, meters.business());
    LiveModule live = new LiveModule(vertx, config, stores.redis(), stores.redisOptions(), line,
        new LiveModule.Features(queues.queues(), counters.counters(), tickets.tickets()), stores.registry());
    events.subscribe(live::onEvent);
    WebhookModule webhooks = new WebhookModule(vertx, config, stores.pool(), stores.serverKey(), interest,
        stores.registry());
    NotifyModule notify = new NotifyModule(vertx, config, stores.pool(), stores.serverKey().derive("mail-links"), tickets,
        stores.registry());
    AdmissionModule admission = new AdmissionModule(stores.pool(), queues.queues(), tickets.admits(), stores.serverKey(),
        stores.registry(), meters.business(), AdmissionModule.TokenSetup.of(vertx, config));
    tickets.tickets().link(admission.link());
    return new Modules(config, stores.pool(), stores.redis(), stores.serverKey(), meters, auth, line, queues, counters,
        tickets, live, webhooks, notify, admission,
        new RateLimits(config.rateLimit(), stores.redis(), config.redis().keyPrefix(), stores.registry(),
            queues.joinLimits()));
  }
}
