package dev.virtualqueue.notify;

import dev.virtualqueue.auth.Role;
import dev.virtualqueue.config.AppConfig;
import dev.virtualqueue.events.OutboxStore;
import dev.virtualqueue.http.Routes;
import dev.virtualqueue.metrics.VerticleMetrics;
import dev.virtualqueue.ticket.TicketModule;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.lang.management.ManagementFactory;
import java.net.URI;

/**
 * The e-mail feature, wired: templates and signed links, its store, its meters (registered even
 * when e-mail is off, so they read 0), the stop route, and the verticle that drains the outbox when
 * a mail host is configured.
 */
public final class NotifyModule {
  private final Vertx vertx;
  private final AppConfig.Mail config;
  private final MailLinks links;
  private final MailTemplates templates;
  private final MailStore store;
  private final OutboxStore outbox;
  private final TicketModule tickets;
  private final NotifyMetrics metrics;
  private final String messageHost;

  /** {@code linkKey}: the stop links' key, {@code serverKey.derive("mail-links")}. */
  public NotifyModule(Vertx vertx, AppConfig config, Pool pool, byte[] linkKey, TicketModule tickets,
                      MeterRegistry registry) {
    this.vertx = vertx;
    this.config = config.mail();
    String base = config.http().publicUrl().isEmpty() ? "http://localhost" : config.http().publicUrl();
    this.links = new MailLinks(base, linkKey);
    this.templates = new MailTemplates(links);
    this.store = new MailStore(pool);
    this.outbox = new OutboxStore(pool, ManagementFactory.getRuntimeMXBean().getName());
    this.tickets = tickets;
    this.metrics = new NotifyMetrics(registry);
    this.messageHost = URI.create(base).getHost();
  }

  /** Whether a mail host is configured (else no verticle runs and no mail rows are written). */
  public boolean enabled() {
    return config.enabled();
  }

  /** The verticle draining the mail outbox (deploy one per process, only when {@link #enabled()}). */
  public NotificationVerticle verticle(VerticleMetrics verticles) {
    return new NotificationVerticle(config, messageHost, metrics, sender -> new Mailing(vertx, store, outbox,
        templates, sender, tickets.tickets(), tickets.mailCapability(), metrics, messageHost, config.tenantPerHour()),
        verticles);
  }

  /** Mounts the stop route (also when e-mail is off: links in messages sent before keep working). */
  public void mount(Routes<Role> routes) {
    new StopRoutes(links, store).mount(routes);
  }
}
