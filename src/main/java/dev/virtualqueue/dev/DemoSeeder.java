package dev.virtualqueue.dev;

import dev.virtualqueue.Services;
import dev.virtualqueue.auth.Principal;
import dev.virtualqueue.auth.Role;
import dev.virtualqueue.counter.CounterService;
import dev.virtualqueue.queue.QueueRequest;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Development run only: on an empty database, creates the demo tenant, its owner, a queue with
 * two open counters, and prints how to use them.
 */
public final class DemoSeeder {
  public static final String TENANT = "demo";
  public static final String EMAIL = "owner@demo.test";
  public static final String PASSWORD = "demo-password";
  private static final Logger LOG = LoggerFactory.getLogger(DemoSeeder.class);

  private final Services services;

  public DemoSeeder(Services services) {
    this.services = services;
  }

  public Future<Void> seedIfEmpty() {
    return services.pool().query("SELECT count(*) FROM tenants").execute()
        .compose(rs -> rs.iterator().next().getLong(0) > 0 ? Future.succeededFuture() : seed())
        .onSuccess(v -> print());
  }

  private Future<Void> seed() {
    return services.auth().tenants()
        .bootstrap(TENANT, "Demo Office", EMAIL, "Demo Owner", PASSWORD.toCharArray())
        .compose(b -> {
          Principal owner = new Principal(b.tenantId(), Principal.Kind.STAFF, b.ownerId(), Role.OWNER);
          QueueRequest req = new QueueRequest("main", "Main desk", "service", "A", null, null, null, null, null, 240, null);
          return services.queues().create(owner, req)
              .compose(q -> services.counters().create(owner, q.id(), new CounterService.CreateCounter("Counter 1"))
                  .compose(c -> services.counters().setStatus(owner, c.id(), "open"))
                  .compose(c -> services.counters().create(owner, q.id(), new CounterService.CreateCounter("Counter 2")))
                  .compose(c -> services.counters().setStatus(owner, c.id(), "open")));
        })
        .onSuccess(c -> LOG.info("seeded demo tenant '{}' with queue 'main' and two open counters", TENANT))
        .mapEmpty();
  }

  private void print() {
    int port = services.config().http().port();
    LOG.info("""

        ------------------------------------------------------------------
         Development run (VQ_PROFILE=dev)
         API:        http://localhost:{}/api/v1   (OpenAPI: /api/v1/openapi.json)
         Management: http://localhost:{}/metrics  /health/ready
         Demo login: tenant '{}', email '{}', password '{}'
         Join:       POST http://localhost:{}/api/v1/public/{}/queues/main/tickets
        ------------------------------------------------------------------""",
        port, services.config().management().port(), TENANT, EMAIL, PASSWORD, port, TENANT);
  }
}
