package dev.virtualqueue.webhook;

import dev.virtualqueue.auth.Caller;
import dev.virtualqueue.auth.Role;
import dev.virtualqueue.common.ApiException;
import dev.virtualqueue.common.Json;
import dev.virtualqueue.common.Page;
import dev.virtualqueue.http.Ctx;
import dev.virtualqueue.http.Paging;
import dev.virtualqueue.http.Routes;
import dev.virtualqueue.webhook.WebhookViews.CreateWebhook;
import dev.virtualqueue.webhook.WebhookViews.DeliveryView;
import dev.virtualqueue.webhook.WebhookViews.EndpointView;
import dev.virtualqueue.webhook.WebhookViews.UpdateWebhook;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/** /api/v1/webhooks: admins manage the tenant's endpoints; viewers may list them and their deliveries. */
final class WebhookRoutes {
  private static final String WEBHOOK = "/api/v1/webhooks/:webhookId";
  private final WebhookService webhooks;

  WebhookRoutes(WebhookService webhooks) {
    this.webhooks = webhooks;
  }

  void mount(Routes<Role> r) {
    r.staff(HttpMethod.POST, "/api/v1/webhooks", Role.ADMIN, this::create)
        .staff(HttpMethod.GET, "/api/v1/webhooks", Role.VIEWER, this::list)
        .staff(HttpMethod.GET, WEBHOOK, Role.VIEWER, this::get)
        .staff(HttpMethod.PATCH, WEBHOOK, Role.ADMIN, this::update)
        .staff(HttpMethod.DELETE, WEBHOOK, Role.ADMIN, this::delete)
        .staff(HttpMethod.POST, WEBHOOK + "/rotate-secret", Role.ADMIN, this::rotate)
        .staff(HttpMethod.GET, WEBHOOK + "/deliveries", Role.VIEWER, this::deliveries)
        .staff(HttpMethod.POST, WEBHOOK + "/deliveries/:deliveryId/retry", Role.ADMIN, this::retry)
        .staff(HttpMethod.POST, WEBHOOK + "/test", Role.ADMIN, this::test);
  }

  private void create(RoutingContext ctx) {
    CreateWebhook req = Json.read(ctx.body().buffer(), CreateWebhook.class);
    webhooks.create(Caller.of(ctx), req).onSuccess(e -> Ctx.json(ctx, 201, e)).onFailure(ctx::fail);
  }

  private void list(RoutingContext ctx) {
    int limit = Paging.limit(ctx);
    webhooks.list(Caller.of(ctx), cursor(ctx), limit + 1)
        .onSuccess(all -> Ctx.json(ctx, 200, page(all, limit, EndpointView::id)))
        .onFailure(ctx::fail);
  }

  private void get(RoutingContext ctx) {
    webhooks.get(Caller.of(ctx), id(ctx)).onSuccess(e -> Ctx.json(ctx, 200, e)).onFailure(ctx::fail);
  }

  private void update(RoutingContext ctx) {
    UUID id = id(ctx);
    UpdateWebhook req = Json.read(ctx.body().buffer(), UpdateWebhook.class);
    webhooks.update(Caller.of(ctx), id, req).onSuccess(e -> Ctx.json(ctx, 200, e)).onFailure(ctx::fail);
  }

  private void delete(RoutingContext ctx) {
    webhooks.delete(Caller.of(ctx), id(ctx)).onSuccess(v -> Ctx.noContent(ctx)).onFailure(ctx::fail);
  }

  private void rotate(RoutingContext ctx) {
    webhooks.rotateSecret(Caller.of(ctx), id(ctx)).onSuccess(e -> Ctx.json(ctx, 200, e)).onFailure(ctx::fail);
  }

  private void deliveries(RoutingContext ctx) {
    UUID id = id(ctx);
    int limit = Paging.limit(ctx);
    String status = ctx.request().getParam("status");
    webhooks.deliveries(Caller.of(ctx), id, status, cursor(ctx), limit + 1)
        .onSuccess(all -> Ctx.json(ctx, 200, page(all, limit, DeliveryView::id)))
        .onFailure(ctx::fail);
  }

  private void retry(RoutingContext ctx) {
    UUID id = id(ctx);
    UUID delivery = Ctx.uuid(ctx, "deliveryId", "webhook_delivery");
    webhooks.retry(Caller.of(ctx), id, delivery).onSuccess(q -> Ctx.json(ctx, 202, q)).onFailure(ctx::fail);
  }

  private void test(RoutingContext ctx) {
    webhooks.test(Caller.of(ctx), id(ctx)).onSuccess(q -> Ctx.json(ctx, 202, q)).onFailure(ctx::fail);
  }

  private static UUID id(RoutingContext ctx) {
    return Ctx.uuid(ctx, "webhookId", "webhook");
  }

  private static <T> Page<T> page(List<T> all, int limit, Function<T, UUID> id) {
    boolean more = all.size() > limit;
    List<T> items = more ? all.subList(0, limit) : all;
    return new Page<>(items, more ? id.apply(items.get(items.size() - 1)).toString() : null);
  }

  private static UUID cursor(RoutingContext ctx) {
    String raw = Paging.cursor(ctx);
    if (raw == null || raw.isEmpty()) {
      return null;
    }
    try {
      return UUID.fromString(raw);
    } catch (IllegalArgumentException e) {
      throw new ApiException.BadRequest("request.invalid_cursor", "The cursor is not one this server issued.");
    }
  }
}
