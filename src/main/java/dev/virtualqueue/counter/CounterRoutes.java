package dev.virtualqueue.counter;

import dev.virtualqueue.auth.Caller;
import dev.virtualqueue.auth.Role;
import dev.virtualqueue.common.Json;
import dev.virtualqueue.http.Ctx;
import dev.virtualqueue.http.Routes;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;

/**
 * Counters of a queue: create, list, open, close. Reading one with the ticket at it, and calling
 * people to it, are the ticket feature's ({@code CallRoutes}).
 */
final class CounterRoutes {
  private static final String COUNTER = "/api/v1/counters/:counterId";
  private final CounterService counters;

  CounterRoutes(CounterService counters) {
    this.counters = counters;
  }

  void mount(Routes<Role> r) {
    r.staff(HttpMethod.POST, "/api/v1/queues/:queueId/counters", Role.ADMIN, this::create)
        .staff(HttpMethod.GET, "/api/v1/queues/:queueId/counters", Role.VIEWER, this::list)
        .staff(HttpMethod.POST, COUNTER + "/open", Role.AGENT, ctx -> status(ctx, Counter.OPEN))
        .staff(HttpMethod.POST, COUNTER + "/close", Role.AGENT, ctx -> status(ctx, Counter.CLOSED));
  }

  private void create(RoutingContext ctx) {
    var req = Json.read(ctx.body().buffer(), CounterService.CreateCounter.class);
    counters.create(Caller.of(ctx), Ctx.uuid(ctx, "queueId", "queue"), req)
        .onSuccess(c -> Ctx.json(ctx, 201, c))
        .onFailure(ctx::fail);
  }

  private void list(RoutingContext ctx) {
    counters.list(Caller.of(ctx), Ctx.uuid(ctx, "queueId", "queue"))
        .onSuccess(list -> Ctx.json(ctx, 200, Map.of("items", list)))
        .onFailure(ctx::fail);
  }

  private void status(RoutingContext ctx, String status) {
    counters.setStatus(Caller.of(ctx), Ctx.uuid(ctx, "counterId", "counter"), status)
        .onSuccess(c -> Ctx.json(ctx, 200, c))
        .onFailure(ctx::fail);
  }
}
