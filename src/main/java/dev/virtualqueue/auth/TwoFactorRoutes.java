package dev.virtualqueue.auth;

import dev.virtualqueue.audit.AuditHandler;
import dev.virtualqueue.common.Json;
import dev.virtualqueue.http.Ctx;
import dev.virtualqueue.http.RequestIds;
import dev.virtualqueue.http.Routes;
import dev.virtualqueue.limit.ClientAddress;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

/**
 * /api/v1/auth/2fa (the caller's own second factor), /api/v1/auth/login/2fa (the second sign-in
 * step), /api/v1/staff/{id}/2fa (an admin's reset) and /api/v1/tenant/settings (which roles must
 * have 2FA). See docs/auth.md "Two-factor sign-in".
 */
final class TwoFactorRoutes {
  private final TwoFactorService service;
  private final TwoFactorLogin login;
  private final ClientAddress addresses;

  TwoFactorRoutes(TwoFactorService service, TwoFactorLogin login, ClientAddress addresses) {
    this.addresses = addresses;
    this.service = service;
    this.login = login;
  }

  /** {@code enrolment}: the routes an enrolment token also reaches (see {@link EnrolmentAuth}). */
  void mount(Routes<Role> r, Routes<Role> enrolment) {
    enrolment.staff(HttpMethod.GET, "/api/v1/auth/2fa", Role.VIEWER, this::status)
        .staff(HttpMethod.POST, "/api/v1/auth/2fa/enroll", Role.VIEWER, this::enroll)
        .staff(HttpMethod.POST, "/api/v1/auth/2fa/confirm", Role.VIEWER, this::confirm);
    r.staff(HttpMethod.POST, "/api/v1/auth/2fa/disable", Role.VIEWER, this::disable)
        .open(HttpMethod.POST, "/api/v1/auth/login/2fa", this::signIn)
        .staff(HttpMethod.DELETE, "/api/v1/staff/:id/2fa", Role.ADMIN, this::reset)
        .staff(HttpMethod.GET, "/api/v1/tenant/settings", Role.ADMIN, this::settings)
        .staff(HttpMethod.PATCH, "/api/v1/tenant/settings", Role.OWNER, this::updateSettings);
  }

  /** The sign-in guard's client: the peer, or behind a trusted proxy the client it names (as the rate limiter). */
  private SignInClient client(RoutingContext ctx) {
    String address = addresses.resolve(AuditHandler.clientAddress(ctx), ctx.request().getHeader("X-Forwarded-For"));
    return new SignInClient(address == null ? "unknown" : address, ctx.get(RequestIds.KEY));
  }

  private void status(RoutingContext ctx) {
    service.status(Caller.of(ctx)).onSuccess(s -> Ctx.json(ctx, 200, s)).onFailure(ctx::fail);
  }

  private void enroll(RoutingContext ctx) {
    service.enroll(Caller.of(ctx)).onSuccess(e -> Ctx.json(ctx, 200, e)).onFailure(ctx::fail);
  }

  private void confirm(RoutingContext ctx) {
    AuthViews.CodeRequest req = Json.read(ctx.body().buffer(), AuthViews.CodeRequest.class);
    String enrolmentToken = ctx.get(EnrolmentAuth.TOKEN);
    SignInClient client = client(ctx);
    service.confirm(Caller.of(ctx), req.code() == null ? null : req.code().strip(), client)
        .compose(codes -> enrolmentToken == null ? Future.succeededFuture(new AuthViews.Confirmed(codes, null))
            : login.finishEnrolment(enrolmentToken, client).map(tokens -> new AuthViews.Confirmed(codes, tokens)))
        .onSuccess(c -> Ctx.json(ctx, 200, c))
        .onFailure(ctx::fail);
  }

  private void disable(RoutingContext ctx) {
    AuthViews.DisableRequest req = Json.read(ctx.body().buffer(), AuthViews.DisableRequest.class);
    service.disable(Caller.of(ctx), req, client(ctx)).onSuccess(v -> Ctx.noContent(ctx)).onFailure(ctx::fail);
  }

  private void reset(RoutingContext ctx) {
    service.reset(Caller.of(ctx), Ctx.uuid(ctx, "id", "staff")).onSuccess(v -> Ctx.noContent(ctx)).onFailure(ctx::fail);
  }

  private void signIn(RoutingContext ctx) {
    AuthViews.LoginCodeRequest req = Json.read(ctx.body().buffer(), AuthViews.LoginCodeRequest.class);
    login.signIn(req, client(ctx)).onSuccess(res -> Ctx.json(ctx, 200, res)).onFailure(ctx::fail);
  }

  private void settings(RoutingContext ctx) {
    service.settings(Caller.of(ctx)).onSuccess(s -> Ctx.json(ctx, 200, s)).onFailure(ctx::fail);
  }

  private void updateSettings(RoutingContext ctx) {
    AuthViews.TenantSettings req = Json.read(ctx.body().buffer(), AuthViews.TenantSettings.class);
    service.updateSettings(Caller.of(ctx), req).onSuccess(s -> Ctx.json(ctx, 200, s)).onFailure(ctx::fail);
  }
}
