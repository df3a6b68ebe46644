package dev.virtualqueue.auth;

import dev.virtualqueue.audit.AuditHandler;
import dev.virtualqueue.audit.AuditLog;
import dev.virtualqueue.common.ApiException;
import dev.virtualqueue.common.Json;
import dev.virtualqueue.http.Ctx;
import dev.virtualqueue.http.RequestIds;
import dev.virtualqueue.http.Routes;
import dev.virtualqueue.limit.ClientAddress;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;

/**
 * /api/v1/auth: password sign-in (every attempt with a known tenant audited, docs/audit.md),
 * refresh-token rotation, sign-out, changing one's password, and setting one with a one-time link.
 */
final class AuthRoutes {
  private final LoginService logins;
  private final PasswordService passwords;
  private final AuditLog audit;
  private final ClientAddress addresses;

  AuthRoutes(LoginService logins, PasswordService passwords, AuditLog audit, ClientAddress addresses) {
    this.logins = logins;
    this.passwords = passwords;
    this.audit = audit;
    this.addresses = addresses;
  }

  void mount(Routes<Role> r) {
    r.open(HttpMethod.POST, "/api/v1/auth/login", this::login)
        .open(HttpMethod.POST, "/api/v1/auth/refresh", this::refresh)
        .staff(HttpMethod.POST, "/api/v1/auth/logout", Role.VIEWER, this::logout)
        .staff(HttpMethod.POST, "/api/v1/auth/password", Role.VIEWER, this::changePassword)
        .open(HttpMethod.POST, "/api/v1/auth/reset-password", this::resetPassword);
  }

  /**
   * The client address the sign-in guard counts: the peer, or behind a trusted proxy
   * ({@code VQ_HTTP_TRUSTED_PROXIES}) the client it names, as the rate limiter resolves it.
   */
  private String client(RoutingContext ctx) {
    return addresses.resolve(ctx.request().remoteAddress() == null ? null : ctx.request().remoteAddress().hostAddress(),
        ctx.request().getHeader("X-Forwarded-For"));
  }

  private PasswordService.Origin origin(RoutingContext ctx) {
    return new PasswordService.Origin(client(ctx), ctx.get(RequestIds.KEY));
  }

  private void changePassword(RoutingContext ctx) {
    AuthViews.ChangePassword req = Json.read(ctx.body().buffer(), AuthViews.ChangePassword.class);
    passwords.change(Caller.of(ctx), req, origin(ctx))
        .onSuccess(v -> ctx.response().setStatusCode(204).end())
        .onFailure(ctx::fail);
  }

  private void resetPassword(RoutingContext ctx) {
    AuthViews.ResetPassword req = Json.read(ctx.body().buffer(), AuthViews.ResetPassword.class);
    passwords.reset(req, origin(ctx))
        .onSuccess(v -> ctx.response().setStatusCode(204).end())
        .onFailure(ctx::fail);
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
    logins.login(req, new SignInClient(client(ctx), ctx.get(RequestIds.KEY)))
        .transform(ar -> audited(ctx, req, ar.succeeded() ? action(ar.result()) : "auth.login_failed")
            .compose(v -> ar.succeeded() ? Future.succeededFuture(ar.result())
                : Future.<AuthViews.SignInAnswer>failedFuture(ar.cause())))
        .onSuccess(res -> Ctx.json(ctx, 200, res))
        .onFailure(ctx::fail);
  }

  /** The audit action of a correct password: signed in, or sent on to the second factor or to enrolment. */
  private static String action(AuthViews.SignInAnswer answer) {
    if (answer instanceof AuthViews.MfaChallenge) {
      return "auth.login_2fa_challenge";
    }
    return answer instanceof AuthViews.EnrolmentRequired ? "auth.login_2fa_enrolment" : "auth.login";
  }

  /** The audit entry of a sign-in; when it cannot be written the sign-in answers 503. */
  private Future<Void> audited(RoutingContext ctx, AuthViews.LoginRequest req, String action) {
    String email = req.email().toLowerCase(Locale.ROOT);
    return audit.signInStep(new AuditLog.SignInStep(req.tenant(), email, action, !"auth.login_failed".equals(action),
            AuditHandler.clientAddress(ctx), ctx.get(RequestIds.KEY), null))
        .recover(t -> Future.failedFuture(t instanceof ApiException ? t : AuditHandler.unavailable()));
  }
}
