package dev.virtualqueue.ticket;

import dev.virtualqueue.auth.Caller;
import dev.virtualqueue.auth.Role;
import dev.virtualqueue.common.Json;
import dev.virtualqueue.counter.CounterService;
import dev.virtualqueue.http.Ctx;
import dev.virtualqueue.http.Routes;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;

/**
 * A counter as its console works it: the counter with the ticket at it, call-next and "done and call
 * next" (the counter itself is the counter feature's).
 */
final class CallRoutes {
  private static final String COUNTER = "/api/v1/counters/:counterId";
  private final CounterService counters;
  private final CallService calls;
  private final TicketService tickets;

  CallRoutes(CounterService counters, CallService calls, TicketService tickets) {
    this.counters = counters;
    this.calls = calls;
    this.tickets = tickets;
  }

  void mount(Routes<Role> r) {
    r.staff(HttpMethod.GET, COUNTER, Role.VIEWER, this::get)
        .staff(HttpMethod.POST, COUNTER + "/call-next", Role.AGENT, this::callNext)
        .staff(HttpMethod.POST, COUNTER + "/complete-and-call-next", Role.AGENT, this::completeAndCallNext);
  }

  private void get(RoutingContext ctx) {
    counters.get(Caller.of(ctx), Ctx.uuid(ctx, "counterId", "counter"))
        .compose(c -> tickets.atCounter(c.id()).map(current -> CounterView.of(c, current)))
        .onSuccess(v -> Ctx.json(ctx, 200, v))
        .onFailure(ctx::fail);
  }

  private void callNext(RoutingContext ctx) {
    respondCalled(ctx, calls.callNext(Caller.of(ctx), Ctx.uuid(ctx, "counterId", "counter")));
  }

  /** Body of "done and call next": the ticket the caller sees at the counter (absent when it is free). */
  record FinishRequest(UUID ticketId) {
  }

  private void completeAndCallNext(RoutingContext ctx) {
    boolean empty = ctx.body() == null || ctx.body().length() <= 0; // -1: no body was sent at all
    UUID expected = empty ? null : Json.read(ctx.body().buffer(), FinishRequest.class).ticketId();
    respondCalled(ctx, calls.completeAndCallNext(Caller.of(ctx), Ctx.uuid(ctx, "counterId", "counter"), expected));
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
