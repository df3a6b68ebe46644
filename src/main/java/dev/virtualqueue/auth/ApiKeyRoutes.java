package dev.virtualqueue.auth;

import dev.virtualqueue.common.ApiException;
import dev.virtualqueue.common.Json;
import dev.virtualqueue.common.Page;
import dev.virtualqueue.http.Ctx;
import dev.virtualqueue.http.Paging;
import dev.virtualqueue.http.Routes;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.UUID;

/** /api/v1/api-keys: create (key shown once), list and revoke the tenant's API keys (admins and owners). */
final class ApiKeyRoutes {
  private final ApiKeyService keys;

  ApiKeyRoutes(ApiKeyService keys) {
    this.keys = keys;
  }

  void mount(Routes<Role> r) {
    r.staff(HttpMethod.POST, "/api/v1/api-keys", Role.ADMIN, this::create)
        .staff(HttpMethod.GET, "/api/v1/api-keys", Role.ADMIN, this::list)
        .staff(HttpMethod.DELETE, "/api/v1/api-keys/:id", Role.ADMIN, this::revoke);
  }

  private void create(RoutingContext ctx) {
    AuthViews.CreateApiKey req = Json.read(ctx.body().buffer(), AuthViews.CreateApiKey.class);
    keys.create(Caller.of(ctx), req)
        .onSuccess(k -> Ctx.json(ctx, 201, k))
        .onFailure(ctx::fail);
  }

  private void list(RoutingContext ctx) {
    int limit = Paging.limit(ctx);
    keys.list(Caller.of(ctx), cursor(ctx), limit + 1)
        .onSuccess(all -> {
          boolean more = all.size() > limit;
          List<ApiKey> page = more ? all.subList(0, limit) : all;
          Ctx.json(ctx, 200, new Page<>(page.stream().map(AuthViews.ApiKeyView::of).toList(),
              more ? page.get(page.size() - 1).id().toString() : null));
        })
        .onFailure(ctx::fail);
  }

  private void revoke(RoutingContext ctx) {
    keys.revoke(Caller.of(ctx), Ctx.uuid(ctx, "id", "api_key"))
        .onSuccess(v -> Ctx.noContent(ctx))
        .onFailure(ctx::fail);
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
