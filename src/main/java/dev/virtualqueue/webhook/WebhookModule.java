package dev.virtualqueue.webhook;

import dev.virtualqueue.auth.Role;
import dev.virtualqueue.common.SecretSealer;
import dev.virtualqueue.config.AppConfig;
import dev.virtualqueue.config.ServerKey;
import dev.virtualqueue.events.OutboxStore;
import dev.virtualqueue.events.WebhookInterest;
import dev.virtualqueue.http.Routes;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.lang.management.ManagementFactory;
import java.security.SecureRandom;

/**
 * The webhook feature, wired: endpoints and their routes, the meters, and the worker verticle that
 * fans outbox rows out to deliveries and sends them ({@link #verticle()}, one per process).
 */
public final class WebhookModule {
  private final UrlGuard guard;
  private final SecretSealer sealer;
  private final EndpointRepository endpoints;
  private final DeliveryRepository deliveries;
  private final OutboxStore outbox;
  private final WebhookMetrics metrics;
  private final WebhookService service;
  private final int timeoutSeconds;

  private final WebhookInterest interest;

  /** {@code interest}: the in-memory copy of who wants which events, told of every change made here. */
  public WebhookModule(Vertx vertx, AppConfig config, Pool pool, ServerKey serverKey, WebhookInterest interest,
                       MeterRegistry registry) {
    this.interest = interest;
    SecureRandom random = new SecureRandom();
    this.guard = new UrlGuard(UrlGuard.Resolver.SYSTEM, config.webhooks().allowPrivateNetworks());
    this.sealer = new SecretSealer(serverKey.derive("webhook-seal"), random);
    this.endpoints = new EndpointRepository(pool);
    this.deliveries = new DeliveryRepository(pool, config.mail().enabled());
    this.outbox = new OutboxStore(pool, "webhook@" + ManagementFactory.getRuntimeMXBean().getName());
    this.metrics = new WebhookMetrics(registry);
    this.service = new WebhookService(vertx, endpoints, deliveries, guard, sealer, new WebhookSigner(random),
        interest);
    this.timeoutSeconds = config.webhooks().timeoutSeconds();
  }

  /** Which tenants want which events (started with the server, stopped at close). */
  public WebhookInterest interest() {
    return interest;
  }

  public WebhookService webhooks() {
    return service;
  }

  /** Mounts the webhook routes. */
  public void mount(Routes<Role> routes) {
    new WebhookRoutes(service).mount(routes);
  }

  /** A new worker verticle; deploy one per process. */
  public WebhookVerticle verticle() {
    return new WebhookVerticle(this);
  }

  UrlGuard guard() {
    return guard;
  }

  SecretSealer sealer() {
    return sealer;
  }

  DeliveryRepository deliveries() {
    return deliveries;
  }

  OutboxStore outbox() {
    return outbox;
  }

  WebhookMetrics metrics() {
    return metrics;
  }

  int timeoutSeconds() {
    return timeoutSeconds;
  }
}
