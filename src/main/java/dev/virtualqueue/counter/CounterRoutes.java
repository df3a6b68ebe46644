package dev.virtualqueue.counter;

import dev.virtualqueue.auth.Role;
import dev.virtualqueue.common.Json;
import dev.virtualqueue.http.Ctx;
import dev.virtualqueue.http.Routes;
import dev.virtualqueue.ticket.CallService;
import dev.virtualqueue.ticket.TicketService;
import dev.virtualqueue.ticket.Ticket;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.UUID;

/** Counters of a queue, call-next and "done and call next". */
public final class CounterRoutes {
  private static final String COUNTER = "/api/v1/counters/:counterId";
  private final CounterService counters;
  private final CallService calls;
  private final TicketService tickets;

  public CounterRoutes(CounterService counters, CallService calls, TicketService tickets) {
    this.counters = counters;
    this.calls = calls;
    this.tickets = tickets;
  }

  public void mount(Routes r) {
    r.staff(HttpMethod.POST, "/api/v1/queues/:queueId/counters", Role.ADMIN, this::create)
        .staff(HttpMethod.GET, "/api/v1/queues/:queueId/counters", Role.VIEWER, this::list)
        .staff(HttpMethod.GET, COUNTER, Role.VIEWER, this::get)
        .staff(HttpMethod.POST, COUNTER + "/open", Role.AGENT, ctx -> status(ctx, Counter.OPEN))
        .staff(HttpMethod.POST, COUNTER + "/close", Role.AGENT, ctx -> status(ctx, Counter.CLOSED))
        .staff(HttpMethod.POST, COUNTER + "/call-next", Role.AGENT, this::callNext)
        .staff(HttpMethod.POST, COUNTER + "/complete-and-call-next", Role.AGENT, this::completeAndCallNext);
  }

  private void create(RoutingContext ctx) {
    var req = Json.read(ctx.body().buffer(), CounterService.CreateCounter.class);
    counters.create(Ctx.principal(ctx), Ctx.uuid(ctx, "queueId", "queue"), req)
        .onSuccess(c -> Ctx.json(ctx, 201, c))
        .onFailure(ctx::fail);
  }

  private void list(RoutingContext ctx) {
    counters.list(Ctx.principal(ctx), Ctx.uuid(ctx, "queueId", "queue"))
        .onSuccess(list -> Ctx.json(ctx, 200, Map.of("items", list)))
        .onFailure(ctx::fail);
  }

  private void get(RoutingContext ctx) {
    counters.get(Ctx.principal(ctx), Ctx.uuid(ctx, "counterId", "counter"))
        .compose(c -> tickets.atCounter(c.id()).map(current -> CounterView.of(c, current)))
        .onSuccess(v -> Ctx.json(ctx, 200, v))
        .onFailure(ctx::fail);
  }

  private void status(RoutingContext ctx, String status) {
    counters.setStatus(Ctx.principal(ctx), Ctx.uuid(ctx, "counterId", "counter"), status)
        .onSuccess(c -> Ctx.json(ctx, 200, c))
        .onFailure(ctx::fail);
  }

  private void callNext(RoutingContext ctx) {
    respondCalled(ctx, calls.callNext(Ctx.principal(ctx), Ctx.uuid(ctx, "counterId", "counter")));
  }

  /** Body of "done and call next": the ticket the caller sees at the counter (absent when it is free). */
  public record FinishRequest(UUID ticketId) {
  }

  private void completeAndCallNext(RoutingContext ctx) {
    boolean empty = ctx.body() == null || ctx.body().length() <= 0; // -1: no body was sent at all
    UUID expected = empty ? null : Json.read(ctx.body().buffer(), FinishRequest.class).ticketId();
    respondCalled(ctx, calls.completeAndCallNext(Ctx.principal(ctx), Ctx.uuid(ctx, "counterId", "counter"), expected));
  }

  /** 200 with the ticket now called, or 204 when nobody waits. */
  private void respondCalled(RoutingContext ctx, Future<Ticket> called) {
    called.compose(t -> t == null ? Future.succeededFuture(null) : tickets.view(t))
        .onSuccess(v -> {
          if (v == null) {
            Ctx.noContent(ctx);
          } else {
            Ctx.json(ctx, 200, v);
          }
        })
        .onFailure(ctx::fail);
  }
}
