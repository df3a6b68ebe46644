package dev.virtualqueue.queue;

import dev.virtualqueue.auth.Caller;
import dev.virtualqueue.auth.Role;
import dev.virtualqueue.common.Json;
import dev.virtualqueue.common.Page;
import dev.virtualqueue.http.Ctx;
import dev.virtualqueue.http.Paging;
import dev.virtualqueue.http.Routes;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Map;

/** /api/v1/queues: create, list, read, update, pause, resume, close, snapshot. */
final class QueueRoutes {
  private static final String QUEUE = "/api/v1/queues/:queueId";
  private final QueueService queues;

  QueueRoutes(QueueService queues) {
    this.queues = queues;
  }

  void mount(Routes<Role> r) {
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
    queues.create(Caller.of(ctx), req)
        .onSuccess(q -> Ctx.json(ctx, 201, QueueView.of(q)))
        .onFailure(ctx::fail);
  }

  private void list(RoutingContext ctx) {
    int limit = Paging.limit(ctx);
    queues.list(Caller.of(ctx), Paging.cursor(ctx), limit + 1)
        .onSuccess(list -> {
          boolean more = list.size() > limit;
          List<Queue> page = more ? list.subList(0, limit) : list;
          Ctx.json(ctx, 200, new Page<>(page.stream().map(QueueView::of).toList(),
              more ? page.get(page.size() - 1).slug() : null));
        })
        .onFailure(ctx::fail);
  }

  private void get(RoutingContext ctx) {
    queues.get(Caller.of(ctx), Ctx.uuid(ctx, "queueId", "queue"))
        .onSuccess(q -> Ctx.json(ctx, 200, QueueView.of(q)))
        .onFailure(ctx::fail);
  }

  private void update(RoutingContext ctx) {
    QueueRequest req = Json.read(ctx.body().buffer(), QueueRequest.class);
    queues.update(Caller.of(ctx), Ctx.uuid(ctx, "queueId", "queue"), req)
        .onSuccess(q -> Ctx.json(ctx, 200, QueueView.of(q)))
        .onFailure(ctx::fail);
  }

  private void status(RoutingContext ctx, String status) {
    queues.setStatus(Caller.of(ctx), Ctx.uuid(ctx, "queueId", "queue"), status)
        .onSuccess(q -> Ctx.json(ctx, 200, QueueView.of(q)))
        .onFailure(ctx::fail);
  }

  private void rotateDisplayKey(RoutingContext ctx) {
    queues.rotateDisplayKey(Caller.of(ctx), Ctx.uuid(ctx, "queueId", "queue"))
        .onSuccess(key -> Ctx.json(ctx, 201, Map.of("key", key)))
        .onFailure(ctx::fail);
  }

  private void clearDisplayKey(RoutingContext ctx) {
    queues.clearDisplayKey(Caller.of(ctx), Ctx.uuid(ctx, "queueId", "queue"))
        .onSuccess(v -> Ctx.noContent(ctx))
        .onFailure(ctx::fail);
  }

  private void snapshot(RoutingContext ctx) {
    queues.snapshot(Caller.of(ctx), Ctx.uuid(ctx, "queueId", "queue"))
        .onSuccess(s -> Ctx.json(ctx, 200, s))
        .onFailure(ctx::fail);
  }
}
