package dev.virtualqueue.queue;

import dev.virtualqueue.auth.Role;
import dev.virtualqueue.common.Json;
import dev.virtualqueue.common.Page;
import dev.virtualqueue.http.Ctx;
import dev.virtualqueue.http.Paging;
import dev.virtualqueue.http.Routes;
import dev.virtualqueue.ticket.TicketService;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/** /api/v1/queues: create, list, read, update, pause, resume, close, snapshot. */
public final class QueueRoutes {
  private static final String QUEUE = "/api/v1/queues/:queueId";
  private final QueueService queues;
  private final TicketService tickets;

  public QueueRoutes(QueueService queues, TicketService tickets) {
    this.queues = queues;
    this.tickets = tickets;
  }

  public void mount(Routes r) {
    r.staff(HttpMethod.POST, "/api/v1/queues", Role.ADMIN, this::create)
        .staff(HttpMethod.GET, "/api/v1/queues", Role.VIEWER, this::list)
        .staff(HttpMethod.GET, QUEUE, Role.VIEWER, this::get)
        .staff(HttpMethod.PATCH, QUEUE, Role.ADMIN, this::update)
        .staff(HttpMethod.POST, QUEUE + "/pause", Role.ADMIN, ctx -> status(ctx, Queue.PAUSED))
        .staff(HttpMethod.POST, QUEUE + "/resume", Role.ADMIN, ctx -> status(ctx, Queue.OPEN))
        .staff(HttpMethod.POST, QUEUE + "/close", Role.ADMIN, ctx -> status(ctx, Queue.CLOSED))
        .staff(HttpMethod.GET, QUEUE + "/snapshot", Role.VIEWER, this::snapshot)
        .staff(HttpMethod.POST, QUEUE + "/display-key", Role.ADMIN, this::rotateDisplayKey)
        .staff(HttpMethod.DELETE, QUEUE + "/display-key", Role.ADMIN, this::clearDisplayKey);
  }

  private void create(RoutingContext ctx) {
    QueueRequest req = Json.read(ctx.body().buffer(), QueueRequest.class);
    queues.create(Ctx.principal(ctx), req)
        .onSuccess(q -> Ctx.json(ctx, 201, QueueView.of(q)))
        .onFailure(ctx::fail);
  }

  private void list(RoutingContext ctx) {
    int limit = Paging.limit(ctx);
    queues.list(Ctx.principal(ctx), Paging.cursor(ctx), limit + 1)
        .onSuccess(list -> {
          boolean more = list.size() > limit;
          List<Queue> page = more ? list.subList(0, limit) : list;
          Ctx.json(ctx, 200, new Page<>(page.stream().map(QueueView::of).toList(),
              more ? page.get(page.size() - 1).slug() : null));
        })
        .onFailure(ctx::fail);
  }

  private void get(RoutingContext ctx) {
    queues.get(Ctx.principal(ctx), Ctx.uuid(ctx, "queueId", "queue"))
        .onSuccess(q -> Ctx.json(ctx, 200, QueueView.of(q)))
        .onFailure(ctx::fail);
  }

  private void update(RoutingContext ctx) {
    QueueRequest req = Json.read(ctx.body().buffer(), QueueRequest.class);
    var who = Ctx.principal(ctx);
    queues.get(who, Ctx.uuid(ctx, "queueId", "queue"))
        .compose(q -> tickets.waitingCount(q).compose(waiting -> queues.update(who, q.id(), req, waiting)))
        .onSuccess(q -> Ctx.json(ctx, 200, QueueView.of(q)))
        .onFailure(ctx::fail);
  }

  private void status(RoutingContext ctx, String status) {
    queues.setStatus(Ctx.principal(ctx), Ctx.uuid(ctx, "queueId", "queue"), status)
        .onSuccess(q -> Ctx.json(ctx, 200, QueueView.of(q)))
        .onFailure(ctx::fail);
  }

  private void rotateDisplayKey(RoutingContext ctx) {
    queues.rotateDisplayKey(Ctx.principal(ctx), Ctx.uuid(ctx, "queueId", "queue"))
        .onSuccess(key -> Ctx.json(ctx, 201, java.util.Map.of("key", key)))
        .onFailure(ctx::fail);
  }

  private void clearDisplayKey(RoutingContext ctx) {
    queues.clearDisplayKey(Ctx.principal(ctx), Ctx.uuid(ctx, "queueId", "queue"))
        .onSuccess(v -> Ctx.noContent(ctx))
        .onFailure(ctx::fail);
  }

  private void snapshot(RoutingContext ctx) {
    tickets.snapshot(Ctx.principal(ctx), Ctx.uuid(ctx, "queueId", "queue"))
        .onSuccess(s -> Ctx.json(ctx, 200, s))
        .onFailure(ctx::fail);
  }
}
