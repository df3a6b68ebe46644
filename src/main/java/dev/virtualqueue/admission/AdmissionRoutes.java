package dev.virtualqueue.admission;

import dev.virtualqueue.auth.Caller;
import dev.virtualqueue.auth.Role;
import dev.virtualqueue.http.Ctx;
import dev.virtualqueue.http.Routes;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

/** The waiting room's routes: the public pre-queue draw, and the room's state for its staff. */
final class AdmissionRoutes {
  private final AdmissionService service;

  AdmissionRoutes(AdmissionService service) {
    this.service = service;
  }

  void mount(Routes<Role> r) {
    r.open(HttpMethod.GET, "/api/v1/public/:tenantSlug/queues/:queueSlug/draw", this::draw)
        .staff(HttpMethod.GET, "/api/v1/queues/:queueId/waiting-room", Role.VIEWER, this::state);
  }

  private void draw(RoutingContext ctx) {
    service.draw(Ctx.slug(ctx, "tenantSlug", "queue"), Ctx.slug(ctx, "queueSlug", "queue"))
        // before the draw the answer may change with the room's settings; after it, never
        .onSuccess(d -> Ctx.json(ctx, 200, d, d.drawnAt() == null ? "no-cache" : "public, max-age=300"))
        .onFailure(ctx::fail);
  }

  private void state(RoutingContext ctx) {
    service.state(Caller.of(ctx), Ctx.uuid(ctx, "queueId", "queue")).onSuccess(s -> Ctx.json(ctx, 200, s))
        .onFailure(ctx::fail);
  }
}
