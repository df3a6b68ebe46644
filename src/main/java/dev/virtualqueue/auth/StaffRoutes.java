package dev.virtualqueue.auth;

import dev.virtualqueue.common.Json;
import dev.virtualqueue.common.Page;
import dev.virtualqueue.http.Ctx;
import dev.virtualqueue.http.Paging;
import dev.virtualqueue.http.Routes;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.UUID;

/** /api/v1/staff: create, list, change, unlock and reset the tenant's staff accounts (admins and owners). */
final class StaffRoutes {
  private final StaffService staff;

  StaffRoutes(StaffService staff) {
    this.staff = staff;
  }

  void mount(Routes<Role> r) {
    r.staff(HttpMethod.POST, "/api/v1/staff", Role.ADMIN, this::create)
        .staff(HttpMethod.GET, "/api/v1/staff", Role.ADMIN, this::list)
        .staff(HttpMethod.PATCH, "/api/v1/staff/:id", Role.ADMIN, this::update)
        .staff(HttpMethod.POST, "/api/v1/staff/:id/unlock", Role.ADMIN, this::unlock)
        .staff(HttpMethod.POST, "/api/v1/staff/:id/reset-password", Role.ADMIN, this::resetLink);
  }

  private void create(RoutingContext ctx) {
    AuthViews.CreateStaff req = Json.read(ctx.body().buffer(), AuthViews.CreateStaff.class);
    staff.create(Caller.of(ctx), req)
        .onSuccess(c -> Ctx.json(ctx, 201, AuthViews.StaffView.of(c.user(), c.invite())))
        .onFailure(ctx::fail);
  }

  private void update(RoutingContext ctx) {
    UUID id = Ctx.uuid(ctx, "id", "staff");
    AuthViews.UpdateStaff req = Json.read(ctx.body().buffer(), AuthViews.UpdateStaff.class);
    staff.update(Caller.of(ctx), id, req)
        .onSuccess(u -> Ctx.json(ctx, 200, AuthViews.StaffView.of(u)))
        .onFailure(ctx::fail);
  }

  private void resetLink(RoutingContext ctx) {
    staff.resetLink(Caller.of(ctx), Ctx.uuid(ctx, "id", "staff"))
        .onSuccess(link -> Ctx.json(ctx, 201, link))
        .onFailure(ctx::fail);
  }

  private void unlock(RoutingContext ctx) {
    staff.unlock(Caller.of(ctx), Ctx.uuid(ctx, "id", "staff"))
        .onSuccess(v -> ctx.response().setStatusCode(204).end())
        .onFailure(ctx::fail);
  }

  private void list(RoutingContext ctx) {
    int limit = Paging.limit(ctx);
    staff.list(Caller.of(ctx), Paging.cursor(ctx), limit + 1)
        .onSuccess(users -> {
          boolean more = users.size() > limit;
          List<StaffUser> page = more ? users.subList(0, limit) : users;
          Ctx.json(ctx, 200, new Page<>(page.stream().map(AuthViews.StaffView::of).toList(),
              more ? page.get(page.size() - 1).email() : null));
        })
        .onFailure(ctx::fail);
  }
}
