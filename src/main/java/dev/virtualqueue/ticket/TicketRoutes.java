package dev.virtualqueue.ticket;

import dev.virtualqueue.auth.Caller;
import dev.virtualqueue.auth.Role;
import dev.virtualqueue.common.Json;
import dev.virtualqueue.http.Ctx;
import dev.virtualqueue.http.Paging;
import dev.virtualqueue.http.Routes;
import dev.virtualqueue.queue.DisplayKeys;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;

/** Joining (public and staff), reading, leaving, staff ticket actions and the waiting list. */
final class TicketRoutes {
  static final String TOKEN_HEADER = "X-Ticket-Token";
  private static final String TICKET = "/api/v1/tickets/:ticketId";

  private final JoinService joins;
  private final TicketService tickets;
  private final CallService calls;

  TicketRoutes(JoinService joins, TicketService tickets, CallService calls) {
    this.joins = joins;
    this.tickets = tickets;
    this.calls = calls;
  }

  void mount(Routes<Role> r) {
    r.open(HttpMethod.POST, "/api/v1/public/:tenantSlug/queues/:queueSlug/tickets", this::joinPublic)
        .staff(HttpMethod.POST, "/api/v1/queues/:queueId/tickets", Role.AGENT, this::joinAsStaff)
        .staff(HttpMethod.GET, "/api/v1/queues/:queueId/tickets", Role.VIEWER, this::listWaiting)
        .open(HttpMethod.GET, TICKET, ctx -> {
          if (ctx.request().getHeader(TOKEN_HEADER) != null) {
            getByHolder(ctx);
          } else {
            ctx.next();
          }
        })
        .staff(HttpMethod.GET, TICKET, Role.VIEWER, this::getByStaff)
        .open(HttpMethod.DELETE, TICKET, this::leave)
        .staff(HttpMethod.POST, TICKET + "/start", Role.AGENT, ctx -> act(ctx, TicketAction.START))
        .staff(HttpMethod.POST, TICKET + "/complete", Role.AGENT, ctx -> act(ctx, TicketAction.COMPLETE))
        .staff(HttpMethod.POST, TICKET + "/no-show", Role.AGENT, ctx -> act(ctx, TicketAction.NO_SHOW))
        .staff(HttpMethod.POST, TICKET + "/recall", Role.AGENT, ctx -> act(ctx, TicketAction.RECALL))
        .staff(HttpMethod.POST, TICKET + "/transfer", Role.AGENT, this::transfer);
  }

  private static JoinRequest joinBody(RoutingContext ctx) {
    boolean empty = ctx.body() == null || ctx.body().length() <= 0; // -1: no body was sent
    return empty ? new JoinRequest(null, null, null, null, null, null) : Json.read(ctx.body().buffer(), JoinRequest.class);
  }

  private void joinPublic(RoutingContext ctx) {
    JoinRequest req = joinBody(ctx);
    String kioskKey = ctx.request().getHeader(DisplayKeys.HEADER);
    String idem = ctx.request().getHeader("Idempotency-Key");
    String tenant = Ctx.slug(ctx, "tenantSlug", "queue");
    String queue = Ctx.slug(ctx, "queueSlug", "queue");
    (kioskKey == null ? joins.joinPublic(tenant, queue, req, idem) : joins.joinKiosk(tenant, queue, kioskKey, req, idem))
        .onSuccess(v -> created(ctx, v))
        .onFailure(ctx::fail);
  }

  private void joinAsStaff(RoutingContext ctx) {
    JoinRequest req = joinBody(ctx);
    joins.joinAsStaff(Caller.of(ctx), Ctx.uuid(ctx, "queueId", "queue"), req,
            ctx.request().getHeader("Idempotency-Key"))
        .onSuccess(v -> created(ctx, v))
        .onFailure(ctx::fail);
  }

  private static void created(RoutingContext ctx, TicketView v) {
    ctx.response().putHeader("Location", "/api/v1/tickets/" + v.id());
    Ctx.json(ctx, 201, v);
  }

  private void getByHolder(RoutingContext ctx) {
    tickets.getByHolder(Ctx.uuid(ctx, "ticketId", "ticket"), ctx.request().getHeader(TOKEN_HEADER))
        .onSuccess(v -> Ctx.json(ctx, 200, v))
        .onFailure(ctx::fail);
  }

  private void getByStaff(RoutingContext ctx) {
    tickets.getByStaff(Caller.of(ctx), Ctx.uuid(ctx, "ticketId", "ticket"))
        .onSuccess(v -> Ctx.json(ctx, 200, v))
        .onFailure(ctx::fail);
  }

  private void leave(RoutingContext ctx) {
    tickets.leave(Ctx.uuid(ctx, "ticketId", "ticket"), ctx.request().getHeader(TOKEN_HEADER))
        .onSuccess(v -> Ctx.json(ctx, 200, v))
        .onFailure(ctx::fail);
  }

  private void act(RoutingContext ctx, TicketAction action) {
    respond(ctx, calls.act(Caller.of(ctx), Ctx.uuid(ctx, "ticketId", "ticket"), action));
  }

  private void transfer(RoutingContext ctx) {
    var req = Json.read(ctx.body().buffer(), CallService.TransferRequest.class);
    respond(ctx, calls.transfer(Caller.of(ctx), Ctx.uuid(ctx, "ticketId", "ticket"), req));
  }

  private void respond(RoutingContext ctx, Future<Ticket> done) {
    done.compose(tickets::view)
        .onSuccess(v -> Ctx.json(ctx, 200, v))
        .onFailure(ctx::fail);
  }

  private void listWaiting(RoutingContext ctx) {
    UUID queueId = Ctx.uuid(ctx, "queueId", "queue");
    tickets.listWaiting(Caller.of(ctx), queueId, Paging.cursor(ctx), Paging.limit(ctx))
        .onSuccess(page -> Ctx.json(ctx, 200, page))
        .onFailure(ctx::fail);
  }
}
