package dev.virtualqueue.dev;

import dev.virtualqueue.auth.Principal;
import dev.virtualqueue.auth.Role;
import dev.virtualqueue.auth.TenantService;
import dev.virtualqueue.config.AppConfig;
import dev.virtualqueue.config.ConfigLoader;
import dev.virtualqueue.counter.CounterService;
import dev.virtualqueue.queue.QueueRequest;
import dev.virtualqueue.queue.QueueService;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Development run only: on an empty database, creates the demo tenant, its owner, a queue with
 * two open counters; once the server listens, prints the page links and the login.
 */
public final class DemoSeeder {
  public static final String TENANT = "demo";
  public static final String EMAIL = "owner@demo.test";
  public static final String PASSWORD = "demo-password";
  public static final String QUEUE = "main";
  private static final Logger LOG = LoggerFactory.getLogger(DemoSeeder.class);

  private final AppConfig config;
  private final Pool pool;
  private final TenantService tenants;
  private final QueueService queues;
  private final CounterService counters;

  public DemoSeeder(AppConfig config, Pool pool, TenantService tenants, QueueService queues, CounterService counters) {
    this.config = config;
    this.pool = pool;
    this.tenants = tenants;
    this.queues = queues;
    this.counters = counters;
  }

  /**
   * Outside the dev profile: fails when the database holds the demo login a development run seeded
   * (its password is printed by every dev run), so a dev database is never served as production.
   */
  public static Future<Void> refuseInProduction(Pool pool) {
    return pool.preparedQuery("SELECT 1 FROM staff_users s JOIN tenants t ON t.id = s.tenant_id"
        + " WHERE t.slug = $1 AND lower(s.email) = $2").execute(Tuple.of(TENANT, EMAIL))
        .compose(rs -> rs.size() == 0 ? Future.succeededFuture() : Future.failedFuture(new ConfigLoader.ConfigException(
            List.of("the database holds the dev profile's demo login " + EMAIL + " (tenant '" + TENANT + "', password '"
                + PASSWORD + "'): it was seeded by a development run; serve production from a database no dev run"
                + " has used (bootstrap your own tenant there, README 'Production keys and the first tenant')"))));
  }

  /** Seeds the demo tenant when the database has no tenant yet. */
  public Future<Void> seedIfEmpty() {
    return pool.query("SELECT count(*) FROM tenants").execute()
        .compose(rs -> rs.iterator().next().getLong(0) > 0 ? Future.succeededFuture() : seed());
  }

  /** Logs the page links, the demo queue's id and the login, once the server listens on {@code httpPort}. */
  public Future<Void> printLinks(int httpPort, int managementPort) {
    return banner(httpPort, managementPort).onSuccess(text -> LOG.info("{}", text)).<Void>mapEmpty()
        .recover(t -> {
          LOG.warn("dev profile: cannot print the demo links: {}", t.getMessage());
          return Future.succeededFuture();
        });
  }

  /** The banner of a development run; the demo queue's lines only while that queue exists. */
  public Future<String> banner(int httpPort, int managementPort) {
    String publicUrl = config.http().publicUrl();
    String base = publicUrl.isBlank() ? "http://localhost:" + httpPort : publicUrl.replaceAll("/+$", "");
    return pool.preparedQuery("SELECT q.id FROM queues q JOIN tenants t ON t.id = q.tenant_id"
            + " WHERE t.slug = $1 AND q.slug = $2").execute(Tuple.of(TENANT, QUEUE))
        .map(rs -> rs.size() == 0 ? null : rs.iterator().next().getUUID(0))
        .map(queueId -> DevBanner.text(base, managementPort, queueId));
  }

  private Future<Void> seed() {
    return tenants
        .bootstrap(TENANT, "Demo Office", EMAIL, "Demo Owner", PASSWORD.toCharArray())
        .compose(b -> {
          Principal owner = new Principal(b.tenantId(), Principal.Kind.STAFF, b.ownerId(), Role.OWNER);
          QueueRequest req = new QueueRequest(QUEUE, "Main desk", "service", "A", null, null, null, null, null, 240, null,
              null, null, null, null, null);
          return queues.create(owner, req)
              .compose(q -> counters.create(owner, q.id(), new CounterService.CreateCounter("Counter 1"))
                  .compose(c -> counters.setStatus(owner, c.id(), "open"))
                  .compose(c -> counters.create(owner, q.id(), new CounterService.CreateCounter("Counter 2")))
                  .compose(c -> counters.setStatus(owner, c.id(), "open")));
        })
        .onSuccess(c -> LOG.info("seeded demo tenant '{}' with queue 'main' and two open counters", TENANT))
        .mapEmpty();
  }

}
