package dev.virtualqueue.auth;

import dev.virtualqueue.common.Json;
import dev.virtualqueue.http.Ctx;
import dev.virtualqueue.http.Routes;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

/** /api/v1/auth: password sign-in, refresh-token rotation, sign-out. */
final class AuthRoutes {
  private final LoginService logins;

  AuthRoutes(LoginService logins) {
    this.logins = logins;
  }

  void mount(Routes<Role> r) {
    r.open(HttpMethod.POST, "/api/v1/auth/login", this::login)
        .open(HttpMethod.POST, "/api/v1/auth/refresh", this::refresh)
        .staff(HttpMethod.POST, "/api/v1/auth/logout", Role.VIEWER, this::logout);
  }

  private void refresh(RoutingContext ctx) {
    AuthViews.RefreshRequest req = Json.read(ctx.body().buffer(), AuthViews.RefreshRequest.class);
    logins.refresh(req)
        .onSuccess(res -> Ctx.json(ctx, 200, res))
        .onFailure(ctx::fail);
  }

  private void logout(RoutingContext ctx) {
    AuthViews.RefreshRequest req = Json.read(ctx.body().buffer(), AuthViews.RefreshRequest.class);
    logins.logout(Caller.of(ctx), req)
        .onSuccess(v -> ctx.response().setStatusCode(204).end())
        .onFailure(ctx::fail);
  }

  private void login(RoutingContext ctx) {
    AuthViews.LoginRequest req = Json.read(ctx.body().buffer(), AuthViews.LoginRequest.class);
    logins.login(req, ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().hostAddress())
        .onSuccess(res -> Ctx.json(ctx, 200, res))
        .onFailure(ctx::fail);
  }
}
